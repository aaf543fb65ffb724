using FastRealtime.LoadGen.Options;
using FastRealtime.LoadGen.Reporting;
using FastRealtime.LoadGen.Scenarios;
using FastRealtime.Tests.Infrastructure;

namespace FastRealtime.Tests.LoadGen;

/// <summary>
/// <c>--protocol socketio</c> and <c>--protocol signalr</c> end to end against the real comparison peers (Node
/// socket.io 4.8, ASP.NET Core SignalR) and FastRealtime's own Socket.IO endpoint: ~2 s runs (a fixed count where the
/// figure must be exact), consistent figures — echo sent = received, broadcast deliveries = publishes × members,
/// no errors.
/// </summary>
[Collection(LoadGenEndToEndCollection.Name)]
public class PeerProtocolEndToEndTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(90);
    private const string SocketIoPath = "/socket.io/?EIO=4&transport=websocket";

    [Theory]
    [InlineData(LoadProtocolKind.SocketIo, ClientEngine.Auto, 1)]
    [InlineData(LoadProtocolKind.SocketIo, ClientEngine.Socket, 4)]
    [InlineData(LoadProtocolKind.SignalR, ClientEngine.Auto, 1)]
    [InlineData(LoadProtocolKind.SignalR, ClientEngine.Socket, 4)]
    public async Task EchoRunAsync_AgainstPeer_EveryReplyCounted(LoadProtocolKind protocol, ClientEngine engine, int window)
    {
        await using PeerProcess peer = await StartPeerAsync(protocol);
        var options = new LoadOptions
        {
            Url = PeerUrl(peer, protocol), Protocol = protocol, Connections = 8, Window = window, Size = 64,
            Duration = TimeSpan.FromSeconds(2), Engine = engine,
        };

        LoadResult result = await EchoScenario.RunAsync(options, CancellationToken.None).WaitAsync(Limit);

        AssertEchoConsistent(result, 8, peer.Output);
    }

    [Fact]
    public async Task EchoRunAsync_SocketIoIdentityAgainstFastRealtime_EveryAckCounted()
    {
        await using var server = TestServer.Start();
        var options = new LoadOptions
        {
            Url = server.WebSocketUri(SocketIoPath), Protocol = LoadProtocolKind.SocketIo, EchoEvent = "identity", Connections = 4, Window = 4,
            Messages = 4_000, Size = 100,
        };

        LoadResult result = await EchoScenario.RunAsync(options, CancellationToken.None).WaitAsync(Limit);

        AssertEchoConsistent(result, 4, "");
        Assert.Equal(4_000, result.Sent);
    }

    [Theory]
    [InlineData(LoadProtocolKind.SocketIo, 1, 1)]
    [InlineData(LoadProtocolKind.SocketIo, 3, 3)]
    [InlineData(LoadProtocolKind.SignalR, 1, 1)]
    [InlineData(LoadProtocolKind.SignalR, 3, 3)]
    public async Task BroadcastRunAsync_AgainstPeer_DeliveriesEqualPublishesTimesMembers(LoadProtocolKind protocol, int rooms, int publishers)
    {
        await using PeerProcess peer = await StartPeerAsync(protocol);
        var options = new LoadOptions
        {
            Url = PeerUrl(peer, protocol), Protocol = protocol, Connections = 30, Rooms = rooms, Publishers = publishers,
            Window = 8, Size = 100, Duration = TimeSpan.FromSeconds(2),
        };

        LoadResult result = await BroadcastScenario.RunAsync(options, CancellationToken.None).WaitAsync(Limit);

        AssertBroadcastConsistent(result, 30, rooms, peer.Output);
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(3, 3)]
    public async Task BroadcastRunAsync_SocketIoBenchNamespaceOfFastRealtime_DeliveriesEqualPublishesTimesMembers(int rooms, int publishers)
    {
        await using var server = TestServer.Start();
        var options = new LoadOptions
        {
            Url = server.WebSocketUri(SocketIoPath), Protocol = LoadProtocolKind.SocketIo, Namespace = "/bench", Connections = 30, Rooms = rooms,
            Publishers = publishers, Window = 8, Size = 100, Duration = TimeSpan.FromSeconds(2),
        };

        LoadResult result = await BroadcastScenario.RunAsync(options, CancellationToken.None).WaitAsync(Limit);

        AssertBroadcastConsistent(result, 30, rooms, "");
    }

    [Fact]
    public async Task HoldRunAsync_SocketIoAgainstNodePeer_SessionsHeldToEnd()
    {
        await using PeerProcess peer = await PeerProcess.StartNodeSocketIoAsync();
        var options = new LoadOptions { Url = peer.Url(SocketIoPath), Protocol = LoadProtocolKind.SocketIo, Connections = 20, Duration = TimeSpan.FromSeconds(1) };

        LoadResult result = await HoldScenario.RunAsync(options, CancellationToken.None).WaitAsync(Limit);

        Assert.True(result.Errors.Count == 0, string.Join(", ", result.Errors) + "\n" + peer.Output);
        Assert.Equal(20, result.Extra["heldToEnd"]);
        Assert.Equal(0, result.Received);
    }

    private static Task<PeerProcess> StartPeerAsync(LoadProtocolKind protocol) =>
        protocol == LoadProtocolKind.SignalR ? PeerProcess.StartSignalRAsync() : PeerProcess.StartNodeSocketIoAsync();

    private static Uri PeerUrl(PeerProcess peer, LoadProtocolKind protocol) => peer.Url(protocol == LoadProtocolKind.SignalR ? "/hub" : SocketIoPath);

    private static void AssertEchoConsistent(LoadResult result, int connections, string serverOutput)
    {
        Assert.True(result.Errors.Count == 0, string.Join(", ", result.Errors) + "\n" + serverOutput);
        Assert.Equal(connections, result.Connections);
        Assert.True(result.Sent > 0);
        Assert.Equal(result.Sent, result.Received);
        Assert.Equal(result.Received, result.Latency.Count);
    }

    private static void AssertBroadcastConsistent(LoadResult result, int connections, int rooms, string serverOutput)
    {
        Assert.True(result.Errors.Count == 0, string.Join(", ", result.Errors) + "\n" + serverOutput);
        Assert.Equal(connections, result.Connections);
        Assert.True(result.Sent > 0);
        Assert.Equal(result.Extra["expectedDeliveries"], result.Extra["deliveries"]);
        Assert.Equal(result.Received, (long)result.Extra["deliveries"]);
        // One room: every publish reaches every connection, sender included.
        if (rooms == 1) Assert.Equal(result.Sent * connections, result.Received);
    }
}
