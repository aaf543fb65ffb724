using System.Text.Json;
using FastRealtime.Chat.ScaleOut;
using FastRealtime.Tests.Gateways;
using FastRealtime.Tests.SocketIO;

namespace FastRealtime.Tests.ScaleOut;

/// <summary>
/// Emissions cross nodes through a real redis-server: two in-process nodes, clients on each over plain WebSocket
/// (and Socket.IO through the real socket.io-client), every recipient exactly once.
/// </summary>
/// <remarks>
/// "Exactly once" is checked with fences (<see cref="FenceAsync"/>): markers emitted A, then B, then A again, each once
/// the previous one crossed. Redis writes a publish to every subscriber before it runs the next command and each
/// subscription is read in order, so every message emitted before the fence, and any duplicate of it (a node
/// delivering its own publish again), reaches a client before the last marker. Each client's stream must be exactly
/// the expected list.
/// </remarks>
public sealed class ScaleOutDeliveryTests(RedisFixture fixture) : IClassFixture<RedisFixture>
{
    [Fact]
    public async Task RoomEmit_MembersOnBothNodes_EachReceivesItExactlyOnce()
    {
        await using var cluster = await TwoNodeCluster.StartAsync(fixture.Redis, fixture.NewPrefix());
        await using var onA = await cluster.A.ConnectAndJoinAsync("ann", "r");
        await using var onB = await cluster.B.ConnectAndJoinAsync("bob", "r");
        await using var outsider = await cluster.B.ConnectAndJoinAsync("oz", "elsewhere");

        Assert.Equal(1, cluster.A.Namespace.To("r").Emit("msg", "one").Recipients); // local recipients only
        await FenceAsync(cluster.A, cluster.B, "r");

        await ExpectAsync(onA, ["one", .. Fences]);
        await ExpectAsync(onB, ["one", .. Fences]);
        await AssertNothingMoreAsync(cluster, outsider);
    }

    [Fact]
    public async Task ClientToRoom_SenderOnNodeA_SkipsOnlyTheSender()
    {
        await using var cluster = await TwoNodeCluster.StartAsync(fixture.Redis, fixture.NewPrefix());
        await using var sender = await cluster.A.ConnectAndJoinAsync("ann", "r");
        await using var sameNode = await cluster.A.ConnectAndJoinAsync("amy", "r");
        await using var otherNode = await cluster.B.ConnectAndJoinAsync("bob", "r");

        Assert.Equal(1, (await sender.RequestAsync("to-room", new { room = "r", text = "from ann" })).GetInt32());
        await FenceAsync(cluster.A, cluster.B, "r");

        await ExpectAsync(sender, [.. Fences]);
        await ExpectAsync(sameNode, ["from ann", .. Fences]);
        await ExpectAsync(otherNode, ["from ann", .. Fences]);
    }

    [Fact]
    public async Task RoomEmitExceptRoom_MembersOfTheExcludedRoomOnTheOtherNode_Skipped()
    {
        await using var cluster = await TwoNodeCluster.StartAsync(fixture.Redis, fixture.NewPrefix());
        await using var muted = await cluster.B.ConnectAndJoinAsync("mo", "r", "muted");
        await using var listener = await cluster.B.ConnectAndJoinAsync("bob", "r");
        await using var local = await cluster.A.ConnectAndJoinAsync("ann", "r", "muted");

        cluster.A.Namespace.To("r").Except("muted").Emit("msg", "not for muted");
        await FenceAsync(cluster.A, cluster.B, "r");

        await ExpectAsync(listener, ["not for muted", .. Fences]);
        await ExpectAsync(muted, [.. Fences]);
        await ExpectAsync(local, [.. Fences]);
    }

    [Fact]
    public async Task ToUser_SocketsOnBothNodes_EverySocketOnce()
    {
        await using var cluster = await TwoNodeCluster.StartAsync(fixture.Redis, fixture.NewPrefix());
        await using var tabOnA = await cluster.A.ConnectAndJoinAsync("eve", "r");
        await using var tabOnB = await cluster.B.ConnectAndJoinAsync("eve", "r");
        await using var someoneElse = await cluster.B.ConnectAndJoinAsync("bob", "r");

        Assert.Equal(1, cluster.B.Namespace.ToUser("eve").Emit("msg", "for eve").Recipients);
        await FenceAsync(cluster.B, cluster.A, "r");

        await ExpectAsync(tabOnA, ["for eve", .. Fences]);
        await ExpectAsync(tabOnB, ["for eve", .. Fences]);
        await ExpectAsync(someoneElse, [.. Fences]);
    }

    [Fact]
    public async Task BroadcastFromClient_EveryoneOnBothNodesButTheSender()
    {
        await using var cluster = await TwoNodeCluster.StartAsync(fixture.Redis, fixture.NewPrefix());
        await using var sender = await cluster.A.ConnectAndJoinAsync("ann", "r");
        await using var onB = await cluster.B.ConnectAndJoinAsync("bob", "r");

        await sender.RequestAsync("broadcast", "to all");
        await ExpectAsync(onB, "to all"); // before the fence's watchers connect: they are part of "everyone" too
        await FenceAsync(cluster.A, cluster.B, "r");

        await ExpectAsync(sender, Fences);
        await ExpectAsync(onB, Fences);
    }

    [Fact]
    public async Task ToClient_NeverPublished()
    {
        await using var cluster = await TwoNodeCluster.StartAsync(fixture.Redis, fixture.NewPrefix());
        await using var client = await cluster.A.ConnectAndJoinAsync("ann", "r");
        long published = cluster.A.Metrics.Published;

        cluster.A.Namespace.ToClient(cluster.A.Gateway.Gateway.Clients.Values.Single()).Emit("msg", "direct");

        await ExpectAsync(client, "direct");
        Assert.Equal(published, cluster.A.Metrics.Published);
    }

    [Fact]
    public async Task RedisEmitter_OtherProcessStyle_ReachesRoomAndUserOnEveryNode()
    {
        await using var cluster = await TwoNodeCluster.StartAsync(fixture.Redis, fixture.NewPrefix());
        await using var onA = await cluster.A.ConnectAndJoinAsync("ann", "r");
        await using var onB = await cluster.B.ConnectAndJoinAsync("bob", "r");
        await using var emitter = new RedisEmitter(fixture.Redis.Configuration, PrefixOf(cluster));

        Assert.Equal(BackplanePublishResult.Sent, emitter.Of("test").To("r").Emit("msg", "from outside"));
        Assert.Equal(BackplanePublishResult.Sent, emitter.Of("/test").ToUser("bob").Emit("msg", "for bob"));
        await ExpectAsync(onA, "from outside");
        await ExpectAsync(onB, "from outside", "for bob"); // one connection publishes them: in order
        await FenceAsync(cluster.A, cluster.B, "r");

        await ExpectAsync(onA, Fences);
        await ExpectAsync(onB, Fences);
    }

    [Fact]
    public async Task SocketIoClients_OnTwoNodes_RoomMessagesCrossExactlyOnce()
    {
        await using var cluster = await TwoNodeCluster.StartAsync(fixture.Redis, fixture.NewPrefix());

        var (exitCode, output) = await SocketIoNodeRunner.RunAsync("scaleout.mjs", cluster.A.BaseUrl, cluster.B.BaseUrl);

        Assert.True(exitCode == 0, output);
        Assert.Contains("ok scaleout", output);
    }

    private static string PrefixOf(TwoNodeCluster cluster) =>
        ((ScaleOutSettings)cluster.A.Services.GetService(typeof(ScaleOutSettings))!).ChannelPrefix;

    internal static readonly string[] Fences = ["fence-1", "fence-2", "fence-3"];

    /// <summary>
    /// <paramref name="first"/> (the node that emitted the messages under test), then the other node, then the first
    /// again emit <see cref="Fences"/> to the room, each once the previous one reached the other node.
    /// </summary>
    internal static async Task FenceAsync(ScaleOutTestNode first, ScaleOutTestNode second, string room)
    {
        await using var watchOnFirst = await first.ConnectAndJoinAsync("watch-1", room);
        await using var watchOnSecond = await second.ConnectAndJoinAsync("watch-2", room);
        first.Namespace.To(room).Emit("msg", Fences[0]);
        await ReadUntilAsync(watchOnSecond, Fences[0]);
        second.Namespace.To(room).Emit("msg", Fences[1]);
        await ReadUntilAsync(watchOnFirst, Fences[1]);
        first.Namespace.To(room).Emit("msg", Fences[2]);
        await ReadUntilAsync(watchOnSecond, Fences[2]);
    }

    private static async Task ReadUntilAsync(JsonWsClient client, string text)
    {
        while ((await client.ReceiveAsync()).GetProperty("data").GetString() != text) { }
    }

    /// <summary>The client's next "msg" events are exactly <paramref name="texts"/>, in order.</summary>
    internal static async Task ExpectAsync(JsonWsClient client, params string[] texts)
    {
        var received = new List<string>();
        foreach (var _ in texts)
        {
            var message = await client.ReceiveAsync();
            Assert.Equal("msg", message.GetProperty("event").GetString());
            received.Add(message.GetProperty("data").GetString()!);
        }
        Assert.Equal(texts, received);
    }

    private static async Task AssertNothingMoreAsync(TwoNodeCluster cluster, JsonWsClient outsider)
    {
        cluster.A.Namespace.To("elsewhere").Emit("msg", "end");
        await ExpectAsync(outsider, "end");
    }
}
