using FastRealtime.Chat.ChatApp;
using FastRealtime.Chat.ScaleOut;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace FastRealtime.Tests.ScaleOut;

/// <summary>
/// <see cref="ClusterChatPresenceDirectory"/> of two nodes ("A", "B") on a real redis-server, in process: the first/last
/// decisions under races, the cluster user list, the fallback while Redis is down.
/// </summary>
public sealed class ClusterChatPresenceDirectoryTests(RedisFixture fixture) : IClassFixture<RedisFixture>
{
    private static readonly ChatUser Alice = new("u-alice", "Alice");
    private static readonly ChatUser Bob = new("u-bob", "Bob");

    [Fact]
    public async Task JoinAsync_FirstSocketsOnTwoNodesRaceRepeatedly_ExactlyOneFirstAndOneLastEachRound()
    {
        await using var nodes = await DirectoryPair.StartAsync(fixture);
        int firsts = 0, lasts = 0;

        for (int round = 0; round < 100; round++)
        {
            var joins = await Task.WhenAll(Task.Run(() => nodes.A.JoinAsync("race", Alice).AsTask()), Task.Run(() => nodes.B.JoinAsync("race", Alice).AsTask()));
            firsts += joins.Count(first => first) == 1 ? 1 : 0;
            var leaves = await Task.WhenAll(Task.Run(() => nodes.A.LeaveAsync("race", Alice).AsTask()), Task.Run(() => nodes.B.LeaveAsync("race", Alice).AsTask()));
            lasts += leaves.Count(last => last) == 1 ? 1 : 0;
        }

        Assert.Equal(100, firsts);
        Assert.Equal(100, lasts);
        Assert.Empty(await nodes.A.UsersInAsync("race"));
    }

    [Fact]
    public async Task JoinAsync_TabsOnTwoNodes_OnlyTheClusterFirstAndLastCount_AndTheListIsClusterWide()
    {
        await using var nodes = await DirectoryPair.StartAsync(fixture);

        bool aliceFirst = await nodes.A.JoinAsync("tabs", Alice);
        bool aliceSecondTabOnB = await nodes.B.JoinAsync("tabs", Alice);
        bool aliceThirdTabOnA = await nodes.A.JoinAsync("tabs", Alice);
        bool bobFirst = await nodes.B.JoinAsync("tabs", Bob);
        var users = await nodes.A.UsersInAsync("tabs");
        bool leftA1 = await nodes.A.LeaveAsync("tabs", Alice);
        bool leftA2 = await nodes.A.LeaveAsync("tabs", Alice); // node A's last tab, node B still has one
        bool leftB = await nodes.B.LeaveAsync("tabs", Alice);

        Assert.True(aliceFirst);
        Assert.False(aliceSecondTabOnB);
        Assert.False(aliceThirdTabOnA);
        Assert.True(bobFirst);
        Assert.Equal([Alice, Bob], users);
        Assert.False(leftA1);
        Assert.False(leftA2);
        Assert.True(leftB);
        Assert.Equal([Bob], await nodes.A.UsersInAsync("tabs"));
    }

    [Fact]
    public async Task JoinAsync_RedisDown_FallsBackToThisNodesCounts()
    {
        var redis = await RedisServer.StartNewAsync(); // its own server: this test stops it
        await using var nodes = await DirectoryPair.StartAsync(redis, "down");
        await nodes.B.JoinAsync("r", Bob);
        await redis.StopAsync();

        bool first = await nodes.A.JoinAsync("r", Alice);
        var users = await nodes.A.UsersInAsync("r");
        bool last = await nodes.A.LeaveAsync("r", Alice);

        Assert.True(first);
        Assert.Equal([Alice], users); // node B's bob is unknown while Redis is away
        Assert.True(last);
    }

    [Fact]
    public async Task NodeLost_AnotherNodesIndexWithNoHeartbeatAndNotInTheNodeSet_IsCleanedUpToo()
    {
        await using var nodes = await DirectoryPair.StartAsync(fixture);
        await nodes.B.JoinAsync("orphan", Bob); // node B is in no node set and has no heartbeat: as if its survivor died mid-clean-up
        await nodes.A.JoinAsync("orphan", Alice);

        nodes.ClusterA.Lose("some-other-node");
        IReadOnlyList<ChatUser> users = [];
        for (int i = 0; i < 50 && users.Count != 1; i++)
        {
            await Task.Delay(50);
            users = await nodes.A.UsersInAsync("orphan");
        }

        Assert.Equal([Alice], users); // node A's own entries stay
    }

    /// <summary>Two directories as two nodes would have them, each with its own backplane connection.</summary>
    private sealed class DirectoryPair : IAsyncDisposable
    {
        private readonly RedisBackplane[] _backplanes;

        private DirectoryPair(ClusterChatPresenceDirectory a, ClusterChatPresenceDirectory b, RedisBackplane[] backplanes, RedisServer? owned)
        {
            A = a;
            B = b;
            _backplanes = backplanes;
            Owned = owned;
        }

        public ClusterChatPresenceDirectory A { get; }
        public ClusterChatPresenceDirectory B { get; }
        public StubClusterPresence ClusterA { get; private init; } = null!;
        private RedisServer? Owned { get; }

        public static Task<DirectoryPair> StartAsync(RedisFixture fixture) => StartAsync(fixture.Redis, fixture.NewPrefix(), owned: false);

        public static async Task<DirectoryPair> StartAsync(RedisServer redis, string prefix, bool owned = true)
        {
            var a = await CreateAsync(redis, prefix, "A");
            var b = await CreateAsync(redis, prefix, "B");
            return new DirectoryPair(a.Directory, b.Directory, [a.Backplane, b.Backplane], owned ? redis : null) { ClusterA = a.Cluster };
        }

        private static async Task<(ClusterChatPresenceDirectory Directory, RedisBackplane Backplane, StubClusterPresence Cluster)> CreateAsync(RedisServer redis, string prefix, string node)
        {
            var settings = ScaleOutTestNode.Settings(redis, prefix, node);
            RedisBackplane? backplane = null;
            backplane = new RedisBackplane(settings, new ScaleOutMetrics(() => backplane?.IsConnected == true), NullLogger<RedisBackplane>.Instance);
            var cluster = new StubClusterPresence(node);
            var directory = new ClusterChatPresenceDirectory(new RoomPresence(), backplane, cluster, new ScaleOutChannels(prefix),
                settings, new ServiceCollection().BuildServiceProvider(), NullLogger<ClusterChatPresenceDirectory>.Instance);
            await backplane.StartAsync();
            return (directory, backplane, cluster);
        }

        public async ValueTask DisposeAsync()
        {
            foreach (var backplane in _backplanes) await backplane.DisposeAsync();
            if (Owned is not null) await Owned.DisposeAsync();
        }
    }

    /// <summary>The node id, and NodeLost raised by the test (<see cref="Lose"/>); no queries.</summary>
    private sealed class StubClusterPresence(string nodeId) : IClusterPresence
    {
        public string NodeId => nodeId;
        public IReadOnlyCollection<string> LiveNodes => [nodeId];
        public event Action<NodeLostEvent>? NodeLost;

        public void Lose(string node) => NodeLost?.Invoke(new NodeLostEvent(node, new Dictionary<string, NamespaceMembership>()));

        public Task<ClusterAnswer<bool>> IsOnlineAsync(string @namespace, string userId, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public Task<ClusterAnswer<IReadOnlyList<string>>> GetRoomUsersAsync(string @namespace, string room, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public Task<ClusterAnswer<IReadOnlyList<ClusterSocket>>> GetUserSocketsAsync(string @namespace, string userId,
            CancellationToken cancellationToken = default) => throw new NotSupportedException();
    }
}
