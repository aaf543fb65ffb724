using FastRealtime.Tests.SocketIO;

namespace FastRealtime.Tests.ChatBackend;

/// <summary>
/// The chat contract with the real npm socket.io-client 4.x (tests/interop/socketio/chat.mjs) against the real chat
/// composition in this process.
/// </summary>
public sealed class ChatSocketIoTests : IAsyncLifetime
{
    private ChatTestServer _server = null!;

    public Task InitializeAsync()
    {
        _server = ChatTestServer.Start();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Theory]
    [InlineData("contract")]
    [InlineData("multiTab")]
    [InlineData("validation")]
    [InlineData("badTokens")]
    [InlineData("notifications")]
    [InlineData("twoNamespaces")]
    public async Task Scenario_RealSocketIoClient_Passes(string scenario)
    {
        var (exitCode, output) = await SocketIoNodeRunner.RunAsync("chat.mjs", scenario, _server.BaseUrl, _server.TokensJson());
        Assert.True(exitCode == 0, output);
        Assert.Contains($"ok {scenario}", output);
    }

    [Fact]
    public async Task Seed002Client_SnippetsUnchanged_RunAgainstTheRealChat()
    {
        string tokens = System.Text.Json.JsonSerializer.Serialize(new
        {
            paco = _server.TokenFor("u-paco", "paco"),
            francisca = _server.TokenFor("u-francisca", "francisca"),
            adminKey = ChatTestServer.AdminKey,
        });
        var (exitCode, output) = await SocketIoNodeRunner.RunAsync("seed002.mjs", _server.BaseUrl, tokens);
        Assert.True(exitCode == 0, output);
        Assert.Contains("ok seed002", output);
    }

    [Fact]
    public async Task RateLimit_RealSocketIoClient_RefusesBeyondTheBurst()
    {
        await using var server = ChatTestServer.Start(s => { s.MaxMessagesPerSecond = 1; s.MessageBurst = 3; });
        var (exitCode, output) = await SocketIoNodeRunner.RunAsync("chat.mjs", "rateLimit", server.BaseUrl, server.TokensJson());
        Assert.True(exitCode == 0, output);
        Assert.Contains("ok rateLimit", output);
    }
}
