using FastRealtime.Tests.Infrastructure;

namespace FastRealtime.Tests.ScaleOut;

/// <summary>
/// Redis stopped and started again under a running two-node cluster (each test has its own redis-server): local
/// delivery goes on, cross-node publishes are dropped and counted (not queued), and delivery resumes after.
/// </summary>
public sealed class ScaleOutFaultTests : IAsyncLifetime
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);
    private RedisServer _redis = null!;

    public async Task InitializeAsync() => _redis = await RedisServer.StartNewAsync();

    public async Task DisposeAsync() => await _redis.DisposeAsync();

    [Fact]
    public async Task RedisRestart_LocalDeliveryContinues_OutageMessagesDropped_CrossNodeResumes()
    {
        await using var cluster = await TwoNodeCluster.StartAsync(_redis, "fault");
        await using var ann = await cluster.A.ConnectAndJoinAsync("ann", "r");
        await using var bob = await cluster.B.ConnectAndJoinAsync("bob", "r");
        cluster.A.Namespace.To("r").Emit("msg", "before");
        await ScaleOutDeliveryTests.ExpectAsync(ann, "before");
        await ScaleOutDeliveryTests.ExpectAsync(bob, "before");

        await _redis.StopAsync();
        await Eventually.AssertAsync(() => !cluster.A.Node.Backplane.IsConnected && !cluster.B.Node.Backplane.IsConnected, Bound,
            () => "the nodes did not notice Redis going away");
        long droppedBefore = cluster.A.Metrics.Dropped;
        Assert.Equal(1, cluster.A.Namespace.To("r").Emit("msg", "during the outage").Recipients);
        await ScaleOutDeliveryTests.ExpectAsync(ann, "during the outage");
        Assert.Equal(droppedBefore + 1, cluster.A.Metrics.Dropped);

        await _redis.StartAsync();
        await Eventually.AssertAsync(() => cluster.A.Node.Backplane.IsConnected && cluster.B.Node.Backplane.IsConnected, Bound,
            () => "the nodes did not reconnect");
        await Eventually.AssertAsync(() => cluster.A.Presence.LiveNodes.Count == 2 && cluster.B.Presence.LiveNodes.Count == 2, Bound,
            () => "the heartbeats did not come back");
        await ProbeUntilDeliveredAsync(cluster);
        cluster.A.Namespace.To("r").Emit("msg", "after");

        await ScaleOutDeliveryTests.ExpectAsync(ann, "after");
        await ScaleOutDeliveryTests.ExpectAsync(bob, "after"); // not "during the outage": dropped, never replayed
    }

    [Fact]
    public async Task RedisDownAtStart_NodeServesLocally_ThenJoinsTheClusterWhenRedisComes()
    {
        await _redis.StopAsync();
        await using var node = await ScaleOutTestNode.StartAsync(ScaleOutTestNode.Settings(_redis, "late", "A"));
        await using var ann = await node.ConnectAndJoinAsync("ann", "r");
        Assert.False(node.Node.Backplane.IsConnected);
        node.Namespace.To("r").Emit("msg", "local only");
        await ScaleOutDeliveryTests.ExpectAsync(ann, "local only");

        await _redis.StartAsync();
        await using var other = await ScaleOutTestNode.StartAsync(ScaleOutTestNode.Settings(_redis, "late", "B"));
        await Eventually.AssertAsync(() => node.Presence.LiveNodes.Count == 2, Bound, () => "node A never joined the cluster");
        await using var bob = await other.ConnectAndJoinAsync("bob", "r");

        other.Namespace.To("r").Emit("msg", "from B");

        await ScaleOutDeliveryTests.ExpectAsync(ann, "from B");
    }

    /// <summary>
    /// The subscription may come back a moment after the connection: probes (to a room nobody is in) until node B
    /// counts one received, bounded, so the message under test is not lost to that moment.
    /// </summary>
    private static async Task ProbeUntilDeliveredAsync(TwoNodeCluster cluster)
    {
        long received = cluster.B.Metrics.Received;
        var deadline = DateTime.UtcNow + Bound;
        while (!await Eventually.TrueAsync(() => cluster.B.Metrics.Received > received, TimeSpan.FromMilliseconds(200)))
        {
            Assert.True(DateTime.UtcNow < deadline, "cross-node delivery did not resume");
            cluster.A.Namespace.To("probe").Emit("msg", "probe");
        }
    }
}
