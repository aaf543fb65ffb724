using System.Text;
using FastRealtime.Chat.ScaleOut;
using FastRealtime.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace FastRealtime.Tests.ScaleOut;

/// <summary>Cluster-wide presence over a real redis-server: queries across nodes, partial answers, lost nodes.</summary>
public sealed class ClusterPresenceTests(RedisFixture fixture) : IClassFixture<RedisFixture>
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task GetRoomUsersAsync_UsersOnBothNodes_EveryUserOnceAndComplete()
    {
        await using var cluster = await TwoNodeCluster.StartAsync(fixture.Redis, fixture.NewPrefix());
        await using var ann = await cluster.A.ConnectAndJoinAsync("ann", "r");
        await using var bob = await cluster.B.ConnectAndJoinAsync("bob", "r");
        await using var eveOnA = await cluster.A.ConnectAndJoinAsync("eve", "r");
        await using var eveOnB = await cluster.B.ConnectAndJoinAsync("eve", "r");
        await using var elsewhere = await cluster.B.ConnectAndJoinAsync("oz", "other");

        var answer = await cluster.A.Presence.GetRoomUsersAsync("/test", "r");

        Assert.Equal(["ann", "bob", "eve"], answer.Value);
        Assert.True(answer.IsComplete);
    }

    [Fact]
    public async Task IsOnlineAsync_UserOnlyOnTheOtherNode_TrueThere_FalseForNobody()
    {
        await using var cluster = await TwoNodeCluster.StartAsync(fixture.Redis, fixture.NewPrefix());
        await using var bob = await cluster.B.ConnectAndJoinAsync("bob");

        var bobOnline = await cluster.A.Presence.IsOnlineAsync("/test", "bob");
        var nobodyOnline = await cluster.A.Presence.IsOnlineAsync("/test", "nobody");

        Assert.True(bobOnline.Value);
        Assert.False(nobodyOnline.Value);
        Assert.True(nobodyOnline.IsComplete);
    }

    [Fact]
    public async Task GetUserSocketsAsync_TabsOnBothNodes_EachWithItsNode()
    {
        await using var cluster = await TwoNodeCluster.StartAsync(fixture.Redis, fixture.NewPrefix());
        await using var tab1 = await cluster.A.ConnectAndJoinAsync("eve");
        await using var tab2 = await cluster.B.ConnectAndJoinAsync("eve");
        await using var tab3 = await cluster.B.ConnectAndJoinAsync("eve");

        var answer = await cluster.B.Presence.GetUserSocketsAsync("/test", "eve");

        Assert.Equal(["A", "B", "B"], answer.Value.Select(s => s.NodeId).Order());
        Assert.Equal(3, answer.Value.Distinct().Count());
        Assert.True(answer.IsComplete);
    }

    [Fact]
    public async Task GetRoomUsersAsync_LiveNodeThatDoesNotAnswer_PartialAnswerNamesIt()
    {
        var prefix = fixture.NewPrefix();
        await using var cluster = await TwoNodeCluster.StartAsync(fixture.Redis, prefix);
        await using var bob = await cluster.B.ConnectAndJoinAsync("bob", "r");
        // A "node" that heart-beats but never answers queries (hung, or too slow for the timeout).
        var channels = new ScaleOutChannels(prefix);
        await cluster.A.Node.Backplane.SetAsync(channels.Heartbeat("mute"), [1], TimeSpan.FromMinutes(1));
        await cluster.A.Node.Backplane.SetAddAsync(channels.Nodes, "mute");
        await Eventually.AssertAsync(() => cluster.A.Presence.LiveNodes.Contains("mute"), Bound, () => "the mute node never looked alive");

        var answer = await cluster.A.Presence.GetRoomUsersAsync("/test", "r");

        Assert.Equal(["bob"], answer.Value);
        Assert.False(answer.IsComplete);
        Assert.Equal(["mute"], answer.MissingNodes);
        await cluster.A.Node.Backplane.SetRemoveAsync(channels.Nodes, "mute");
    }

    [Fact]
    public async Task NodeCrash_HeartbeatExpires_TheSurvivorRaisesNodeLostWithItsUsersAndRooms()
    {
        var prefix = fixture.NewPrefix();
        await using var cluster = await TwoNodeCluster.StartAsync(fixture.Redis, prefix);
        var lost = new TaskCompletionSource<NodeLostEvent>(TaskCreationOptions.RunContinuationsAsynchronously);
        cluster.A.Presence.NodeLost += e => lost.TrySetResult(e);
        await using var ann = await cluster.A.ConnectAndJoinAsync("ann", "r");
        await using var bob = await cluster.B.ConnectAndJoinAsync("bob", "r", "s");
        await using var cid = await cluster.B.ConnectAndJoinAsync("cid", "s");
        await WaitForMembershipAsync(cluster.A, prefix, "B", "cid");

        await cluster.B.CrashAsync();
        var report = await lost.Task.WaitAsync(Bound);

        Assert.Equal("B", report.NodeId);
        var test = report.Namespaces["/test"];
        Assert.Equal(["bob", "cid"], test.Users);
        Assert.Equal(["bob"], test.Rooms["r"]);
        Assert.Equal(["bob", "cid"], test.Rooms["s"]);
        Assert.Equal(["A"], cluster.A.Presence.LiveNodes);
        var roomUsers = await cluster.A.Presence.GetRoomUsersAsync("/test", "r");
        Assert.Equal(["ann"], roomUsers.Value);
        Assert.True(roomUsers.IsComplete);
    }

    [Fact]
    public async Task NodeStopsCleanly_LeavesTheNodeSet_NoNodeLost()
    {
        var prefix = fixture.NewPrefix();
        await using var cluster = await TwoNodeCluster.StartAsync(fixture.Redis, prefix);
        int lost = 0;
        cluster.A.Presence.NodeLost += _ => Interlocked.Increment(ref lost);
        await using var bob = await cluster.B.ConnectAndJoinAsync("bob", "r");

        await cluster.B.Node.StopAsync(goodbye: true);
        await Eventually.AssertAsync(() => cluster.A.Presence.LiveNodes.Count == 1, Bound, () => "A still counts B as live");
        await cluster.A.Presence.GetRoomUsersAsync("/test", "r"); // a later tick has run too

        Assert.Equal(0, Volatile.Read(ref lost));
        Assert.False(await cluster.A.Node.Backplane.ExistsAsync(new ScaleOutChannels(prefix).Members("B")));
    }

    /// <summary>Waits (bounded) until <paramref name="node"/>'s published membership snapshot names <paramref name="user"/>.</summary>
    private static async Task WaitForMembershipAsync(ScaleOutTestNode reader, string prefix, string node, string user)
    {
        var key = new ScaleOutChannels(prefix).Members(node);
        var deadline = DateTime.UtcNow + Bound;
        while (await reader.Node.Backplane.GetAsync(key) is not { } snapshot || !Encoding.UTF8.GetString(snapshot).Contains($"\"{user}\""))
        {
            Assert.True(DateTime.UtcNow < deadline, $"node {node} never published a membership with {user}");
            await Task.Delay(20);
        }
    }
}
