using FastRealtime.Tests.Infrastructure;

namespace FastRealtime.Tests.ScaleOut;

/// <summary>One redis-server for a test class; each test isolates itself with its own channel prefix.</summary>
public sealed class RedisFixture : IAsyncLifetime
{
    private int _clusters;

    public RedisServer Redis { get; private set; } = null!;

    /// <summary>A fresh prefix, so the tests of a class never see each other's nodes or messages.</summary>
    public string NewPrefix() => $"test{Interlocked.Increment(ref _clusters)}";

    public async Task InitializeAsync() => Redis = await RedisServer.StartNewAsync();

    public async Task DisposeAsync() => await Redis.DisposeAsync();
}

/// <summary>Two nodes ("A", "B") on one Redis, started and seeing each other alive.</summary>
public sealed class TwoNodeCluster : IAsyncDisposable
{
    private TwoNodeCluster(ScaleOutTestNode a, ScaleOutTestNode b)
    {
        A = a;
        B = b;
    }

    public ScaleOutTestNode A { get; }
    public ScaleOutTestNode B { get; }

    public static async Task<TwoNodeCluster> StartAsync(RedisServer redis, string prefix)
    {
        var a = await ScaleOutTestNode.StartAsync(ScaleOutTestNode.Settings(redis, prefix, "A"));
        var b = await ScaleOutTestNode.StartAsync(ScaleOutTestNode.Settings(redis, prefix, "B"));
        var cluster = new TwoNodeCluster(a, b);
        await Eventually.AssertAsync(() => a.Presence.LiveNodes.Count == 2 && b.Presence.LiveNodes.Count == 2, TimeSpan.FromSeconds(10),
            () => $"the nodes do not see each other: A sees {string.Join(",", a.Presence.LiveNodes)}, B sees {string.Join(",", b.Presence.LiveNodes)}");
        return cluster;
    }

    public async ValueTask DisposeAsync()
    {
        await A.DisposeAsync();
        await B.DisposeAsync();
    }
}
