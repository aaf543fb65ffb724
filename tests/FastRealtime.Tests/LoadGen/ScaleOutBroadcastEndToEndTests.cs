using FastRealtime.Chat.Endpoints;
using FastRealtime.Chat.Hosting;
using FastRealtime.Chat.ScaleOut;
using FastRealtime.LoadGen.Options;
using FastRealtime.LoadGen.Reporting;
using FastRealtime.LoadGen.Scenarios;
using FastRealtime.Tests.Infrastructure;
using FastRealtime.Tests.ScaleOut;
using Microsoft.Extensions.DependencyInjection;

namespace FastRealtime.Tests.LoadGen;

/// <summary>
/// The broadcast scenario spread over two FastRealtime nodes (in-process, each its own container and port) that scale
/// out over a real redis-server: half of the room's members on each node, so every publish reaches the other node
/// only through Redis; deliveries must still equal publishes × members exactly.
/// </summary>
[Collection(LoadGenEndToEndCollection.Name)]
public class ScaleOutBroadcastEndToEndTests : IClassFixture<RedisFixture>
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(90);
    private const string SocketIoPath = "/socket.io/?EIO=4&transport=websocket";
    private readonly RedisFixture _redis;

    public ScaleOutBroadcastEndToEndTests(RedisFixture redis) => _redis = redis;

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 2)]
    public async Task BroadcastRunAsync_SocketIoMembersOnTwoNodes_DeliveriesEqualPublishesTimesMembers(int rooms, int publishers)
    {
        string prefix = _redis.NewPrefix();
        await using var a = await BenchNode.StartAsync(ScaleOutTestNode.Settings(_redis.Redis, prefix, "A"));
        await using var b = await BenchNode.StartAsync(ScaleOutTestNode.Settings(_redis.Redis, prefix, "B"));
        var options = new LoadOptions
        {
            Url = a.Uri(SocketIoPath), Urls = [a.Uri(SocketIoPath), b.Uri(SocketIoPath)], Protocol = LoadProtocolKind.SocketIo,
            Namespace = "/bench", Connections = 40, Rooms = rooms, Publishers = publishers, Window = 8, Size = 100, Messages = 400,
        };

        LoadResult result = await BroadcastScenario.RunAsync(options, CancellationToken.None).WaitAsync(Limit);

        Assert.True(result.Errors.Count == 0, string.Join(", ", result.Errors));
        Assert.Equal(40, result.Connections);
        Assert.Equal(400, result.Sent);
        Assert.Equal(result.Extra["expectedDeliveries"], result.Extra["deliveries"]);
        Assert.Equal(400L * 40 / rooms, result.Received);
        Assert.Equal(2, result.Extra["nodes"]);
        // The publishers are on A (NodeOf): each publish crossed to B through Redis exactly once.
        Assert.Equal(400, a.Metrics.Published);
        Assert.Equal(400, b.Metrics.Received);
    }

    [Theory]
    [InlineData(0, 1, 2, 0)]
    [InlineData(1, 1, 2, 1)]
    [InlineData(2, 2, 2, 1)]  // connections 0, 1 in rooms 0, 1 on node 0; 2, 3 on node 1
    [InlineData(3, 2, 2, 1)]
    [InlineData(4, 2, 2, 0)]
    [InlineData(5, 1, 3, 2)]
    public void NodeOf_RoomMembers_TakeTheNodesInTurn(int index, int rooms, int nodes, int expected) =>
        Assert.Equal(expected, BroadcastScenario.NodeOf(index, rooms, nodes));

    /// <summary>One node: the default container's /bench gateway plus scale-out, on its own port.</summary>
    private sealed class BenchNode : IAsyncDisposable
    {
        private readonly ServiceProvider _services;
        private readonly ScaleOutNode _node;

        private BenchNode(ServiceProvider services, FastRealtimeServer server)
        {
            _services = services;
            Server = server;
            _node = services.GetRequiredService<ScaleOutNode>();
        }

        public FastRealtimeServer Server { get; }

        public ScaleOutMetrics Metrics => _services.GetRequiredService<ScaleOutMetrics>();

        public Uri Uri(string path) => new($"ws://127.0.0.1:{Server.LocalEndPoint.Port}{path}");

        public static async Task<BenchNode> StartAsync(ScaleOutSettings settings)
        {
            var collection = new ServiceCollection();
            collection.AddLogging();
            collection.AddBenchmarkGateway();
            Assert.True(collection.AddScaleOut(settings));
            var services = collection.BuildServiceProvider();
            var server = new FastRealtimeServer(new ServerSettings { Host = "127.0.0.1", Port = 0, ShutdownTimeout = TimeSpan.FromSeconds(5) },
                services: services);
            server.Start();
            var node = new BenchNode(services, server);
            await node._node.StartAsync();
            return node;
        }

        public async ValueTask DisposeAsync()
        {
            await _node.StopAsync(goodbye: true);
            await Server.DisposeAsync();
            await _services.DisposeAsync();
        }
    }
}
