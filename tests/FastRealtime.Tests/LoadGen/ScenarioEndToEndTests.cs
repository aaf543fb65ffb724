using System.Net;
using FastRealtime.LoadGen.Options;
using FastRealtime.LoadGen.Reporting;
using FastRealtime.LoadGen.Scenarios;
using FastRealtime.Tests.Infrastructure;

namespace FastRealtime.Tests.LoadGen;

/// <summary>
/// Each scenario for a second or a fixed count against the real FastRealtime server (<see cref="TestServer"/>, /echo),
/// on both client engines; broadcast against <see cref="TestWebSocketServer"/> until the server maps /broadcast.
/// Figures must be consistent: echo sent = received, broadcast deliveries = publishes × members, no errors.
/// </summary>
[Collection(LoadGenEndToEndCollection.Name)]
public class ScenarioEndToEndTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);

    [Theory]
    [InlineData(false, 1, LoadProtocolKind.Ws, ClientEngine.Auto)]
    [InlineData(true, 8, LoadProtocolKind.Ws, ClientEngine.Auto)]
    [InlineData(false, 4, LoadProtocolKind.Json, ClientEngine.Auto)]
    [InlineData(true, 8, LoadProtocolKind.Ws, ClientEngine.Socket)]
    [InlineData(false, 1, LoadProtocolKind.Json, ClientEngine.Socket)]
    public async Task EchoRunAsync_FixedMessageCount_SentEqualsReceivedWithoutErrors(bool binary, int window, LoadProtocolKind protocol, ClientEngine engine)
    {
        await using var server = TestServer.Start();
        var options = new LoadOptions
        {
            Url = server.WebSocketUri("/echo"), Connections = 4, Messages = 2_000, Size = 100, Binary = binary, Window = window, Protocol = protocol, Engine = engine,
        };

        LoadResult result = await EchoScenario.RunAsync(options, CancellationToken.None).WaitAsync(Limit);

        Assert.Empty(result.Errors);
        Assert.Equal(4, result.Connections);
        Assert.Equal(2_000, result.Sent);
        Assert.Equal(2_000, result.Received);
        Assert.Equal(2_000, result.Latency.Count);
        Assert.True(result.Latency.P50 > 0 && result.Latency.P50 <= result.Latency.P99 && result.Latency.P99 <= result.Latency.Max);
    }

    [Theory]
    [InlineData(ClientEngine.Auto)]
    [InlineData(ClientEngine.Socket)]
    public async Task EchoRunAsync_DurationBoundAndFixedRate_StopsBySelfWithConsistentFigures(ClientEngine engine)
    {
        await using var server = TestServer.Start();
        var options = new LoadOptions { Url = server.WebSocketUri("/echo"), Connections = 3, Duration = TimeSpan.FromSeconds(1), Rate = 300, Window = 4, Engine = engine };

        LoadResult result = await EchoScenario.RunAsync(options, CancellationToken.None).WaitAsync(Limit);

        Assert.Empty(result.Errors);
        Assert.True(result.Sent > 0);
        Assert.Equal(result.Sent, result.Received);
        Assert.NotEmpty(result.PerSecond);
    }

    [Theory]
    [InlineData(1, 1, null, ClientEngine.Auto)]
    [InlineData(3, 2, null, ClientEngine.Auto)]
    [InlineData(2, 4, 400.0, ClientEngine.Auto)]
    [InlineData(3, 2, null, ClientEngine.Socket)]
    public async Task BroadcastRunAsync_RoomsAndPublishers_DeliveriesEqualPublishesTimesMembers(int rooms, int publishers, double? rate, ClientEngine engine)
    {
        await using var server = new TestWebSocketServer();
        var options = new LoadOptions
        {
            Url = server.Url("/broadcast"), Connections = 9, Rooms = rooms, Publishers = publishers, Messages = 300, Window = 2, Rate = rate, Binary = true, Engine = engine,
        };

        LoadResult result = await BroadcastScenario.RunAsync(options, CancellationToken.None).WaitAsync(Limit);

        Assert.Empty(result.Errors);
        Assert.Equal(300, result.Sent);
        long expected = 0;
        for (int room = 0; room < rooms; room++)
        {
            int members = Enumerable.Range(0, 9).Count(i => i % rooms == room);
            int roomPublishers = Enumerable.Range(0, publishers).Count(i => i % rooms == room);
            expected += roomPublishers * members;
        }
        Assert.Equal(result.Extra["expectedDeliveries"], result.Extra["deliveries"]);
        Assert.Equal(result.Received, (long)result.Extra["deliveries"]);
        Assert.True(result.Received >= 300 && expected > 0);
    }

    [Theory]
    [InlineData(ClientEngine.Auto)]
    [InlineData(ClientEngine.Socket)]
    public async Task ConnectRunAsync_StormWithClose_AllHandshakesSucceed(ClientEngine engine)
    {
        await using var server = TestServer.Start();
        var options = new LoadOptions { Url = server.WebSocketUri("/echo"), Connections = 50, Messages = 50, CloseAfterHandshake = true, ConnectConcurrency = 8, Engine = engine };

        LoadResult result = await ConnectScenario.RunAsync(options, CancellationToken.None).WaitAsync(Limit);

        Assert.Empty(result.Errors);
        Assert.Equal(50, result.Extra["handshakes"]);
        Assert.Equal(50, result.Latency.Count);
    }

    [Fact]
    public async Task EchoRunAsync_EveryUpgradeRefused_EndsAtOnceInsteadOfWaitingOutTheDuration()
    {
        await using var server = TestServer.Start();
        var options = new LoadOptions { Url = server.WebSocketUri("/no-such-endpoint"), Connections = 3, Duration = TimeSpan.FromMinutes(10) };

        LoadResult result = await EchoScenario.RunAsync(options, CancellationToken.None).WaitAsync(Limit);

        Assert.Equal(new SortedDictionary<string, long> { ["http-404"] = 3 }, result.Errors);
        Assert.Equal(0, result.Sent);
    }

    [Theory]
    [InlineData(ClientEngine.Auto)]
    [InlineData(ClientEngine.Socket)]
    public async Task ConnectRunAsync_NothingListening_CountsRefusedConnections(ClientEngine engine)
    {
        int port;
        using (var probe = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((System.Net.IPEndPoint)probe.LocalEndpoint).Port;
        }
        var options = new LoadOptions { Url = new Uri($"ws://127.0.0.1:{port}/echo"), Connections = 3, Messages = 3, Engine = engine };

        LoadResult result = await ConnectScenario.RunAsync(options, CancellationToken.None).WaitAsync(Limit);

        Assert.Equal(3, result.Errors["connect-refused"]);
        Assert.Equal(0, result.Received);
    }

    [Theory]
    [InlineData(ClientEngine.Auto)]
    [InlineData(ClientEngine.Socket)]
    public async Task HoldRunAsync_ServerPingsIdleConnections_PongsKeepThemAlive(ClientEngine engine)
    {
        // The server pings after 200 ms of quiet and drops a connection that leaves a ping unanswered for 1.8 s; the
        // hold lasts longer than the idle timeout, so only pongs keep the connections (the answer window is wide
        // enough for a loaded 2-core test run).
        await using var server = TestServer.Start(s =>
        {
            s.PingInterval = TimeSpan.FromMilliseconds(200);
            s.IdleTimeout = TimeSpan.FromSeconds(2);
        });
        var options = new LoadOptions { Url = server.WebSocketUri("/echo"), Connections = 20, Duration = TimeSpan.FromSeconds(3), ServerPid = Environment.ProcessId, Engine = engine };

        LoadResult result = await HoldScenario.RunAsync(options, CancellationToken.None).WaitAsync(Limit);

        Assert.Empty(result.Errors);
        Assert.Equal(20, result.Connections);
        Assert.Equal(20, result.Extra["heldToEnd"]);
        Assert.True(result.Extra.ContainsKey("serverBytesPerConnection"));
    }

    [Fact]
    public async Task EchoRunAsync_SourceAddresses_SpreadsConnectionsUnderPerIpLimit()
    {
        // Two connections per source address are allowed: four connections fit only if they really come from two.
        await using var server = TestServer.Start(s => s.MaxConnectionsPerIp = 2);
        var options = new LoadOptions
        {
            Url = server.WebSocketUri("/echo"), Connections = 4, Messages = 400, SourceAddresses = [IPAddress.Parse("127.0.0.2"), IPAddress.Parse("127.0.0.3")],
        };

        LoadResult result = await EchoScenario.RunAsync(options, CancellationToken.None).WaitAsync(Limit);

        Assert.Empty(result.Errors);
        Assert.Equal(4, result.Connections);
        Assert.Equal(400, result.Received);
    }

    [Fact]
    public async Task RampRunAsync_GenerousSlo_RunsEveryStepAndReportsKnee()
    {
        await using var server = TestServer.Start();
        var options = new LoadOptions
        {
            Url = server.WebSocketUri("/echo"), Connections = 1, Duration = TimeSpan.FromMilliseconds(500), RampSteps = 3, RampFactor = 2,
            Slo = [new SloTarget(99, TimeSpan.FromSeconds(30))],
        };

        LoadResult result = await RampScenario.RunAsync(options, CancellationToken.None).WaitAsync(Limit);

        Assert.Equal([1, 2, 4], result.RampSteps.Select(s => s.Connections));
        Assert.All(result.RampSteps, s => Assert.True(s.Passed));
        Assert.Equal(4, result.Extra["kneeConnections"]);
    }

    [Fact]
    public async Task RampRunAsync_ImpossibleSlo_BreaksAtFirstStepWithoutKnee()
    {
        await using var server = TestServer.Start();
        var options = new LoadOptions
        {
            Url = server.WebSocketUri("/echo"), Connections = 1, Duration = TimeSpan.FromMilliseconds(300), RampSteps = 3,
            Slo = [new SloTarget(50, TimeSpan.Zero)],
        };

        LoadResult result = await RampScenario.RunAsync(options, CancellationToken.None).WaitAsync(Limit);

        RampStep step = Assert.Single(result.RampSteps);
        Assert.False(step.Passed);
        Assert.Equal(0, result.Extra["kneeFound"]);
    }
}
