using System.Text.Json;

namespace FastRealtime.Tests.SocketIO;

/// <summary>The real npm socket.io-client 4.x (tests/interop/socketio) against FastRealtime's /socket.io/.</summary>
public sealed class SocketIoInteropTests : IAsyncLifetime
{
    private SocketIoTestServer _server = null!;

    public Task InitializeAsync()
    {
        _server = SocketIoTestServer.Start();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Theory]
    [InlineData("upgrade")]
    [InlineData("pollingOnly")]
    [InlineData("websocketOnly")]
    [InlineData("twoNamespaces")]
    [InlineData("authAccepted")]
    [InlineData("authRefused")]
    [InlineData("unknownNamespace")]
    [InlineData("acksBothWays")]
    [InlineData("serverAckTimeout")]
    [InlineData("rooms")]
    [InlineData("binary")]
    [InlineData("reconnect")]
    [InlineData("serverDisconnect")]
    public async Task Scenario_RealSocketIoClient_Passes(string scenario)
    {
        var (exitCode, output) = await SocketIoNodeRunner.RunAsync("scenarios.mjs", scenario, _server.BaseUrl);
        Assert.True(exitCode == 0, output);
        Assert.Contains($"ok {scenario}", output);
    }

    [Fact]
    public async Task Seed001Client_DemoGatewayOnMainNamespace_IdentityAndEvents()
    {
        var (exitCode, output) = await SocketIoNodeRunner.RunAsync("seed001.mjs", _server.BaseUrl);
        Assert.True(exitCode == 0, output);
        Assert.Contains("ok seed001", output);
    }

    [Fact]
    public async Task Seed002Client_ChatAndNotificationsSnippets_RunUnchanged()
    {
        var (exitCode, output) = await SocketIoNodeRunner.RunAsync("seed002.mjs", _server.BaseUrl);
        Assert.True(exitCode == 0, output);
        Assert.Contains("ok seed002", output);
    }

    [Fact]
    public async Task Reconnect_ServerDropsConnection_ServerSeesForcedClose()
    {
        var (exitCode, output) = await SocketIoNodeRunner.RunAsync("scenarios.mjs", "reconnect", _server.BaseUrl);
        Assert.True(exitCode == 0, output);
        Assert.Contains("forced close", _server.Test.DisconnectReasons.Values);
    }
}

/// <summary>Heartbeat timeouts on both sides, with a server pinging every 300 ms and waiting 1 s for the pong.</summary>
public sealed class SocketIoHeartbeatTests : IAsyncLifetime
{
    private SocketIoTestServer _server = null!;

    public Task InitializeAsync()
    {
        _server = SocketIoTestServer.Start(o =>
        {
            o.PingInterval = TimeSpan.FromMilliseconds(300);
            o.PingTimeout = TimeSpan.FromMilliseconds(1000);
        });
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Heartbeat_ClientAnswersPings_ConnectionStaysUp()
    {
        var (exitCode, output) = await SocketIoNodeRunner.RunAsync("scenarios.mjs", "heartbeatAlive", _server.BaseUrl);
        Assert.True(exitCode == 0, output);
    }

    [Fact]
    public async Task Heartbeat_ClientStopsAnsweringPongs_ServerClosesWithPingTimeout()
    {
        var (exitCode, output) = await SocketIoNodeRunner.RunAsync("scenarios.mjs", "heartbeatServerDetects", _server.BaseUrl);
        Assert.True(exitCode == 0, output);
        Assert.Equal("ping timeout", await ReasonOf(SocketIdIn(output)));
    }

    [Fact]
    public async Task Heartbeat_ServerGoesSilent_ClientAndServerBothDetectPingTimeout()
    {
        var (exitCode, output) = await SocketIoNodeRunner.RunAsync("scenarios.mjs", "heartbeatClientDetects", _server.BaseUrl);
        Assert.True(exitCode == 0, output);
        Assert.Equal("ping timeout", await ReasonOf(SocketIdIn(output)));
    }

    private static string SocketIdIn(string output)
    {
        string line = output.Split('\n').First(l => l.StartsWith("{\"socketId\"", StringComparison.Ordinal));
        return JsonDocument.Parse(line).RootElement.GetProperty("socketId").GetString()!;
    }

    // The server's own timeout may land a moment after the client's: wait (bounded) for the reason to be recorded.
    private async Task<string?> ReasonOf(string socketId)
    {
        for (int i = 0; i < 50 && !_server.Test.DisconnectReasons.ContainsKey(socketId); i++) await Task.Delay(100);
        return _server.Test.DisconnectReasons.GetValueOrDefault(socketId);
    }
}
