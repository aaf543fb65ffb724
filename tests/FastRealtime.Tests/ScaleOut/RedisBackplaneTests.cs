using FastRealtime.Chat.ScaleOut;
using FastRealtime.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;

namespace FastRealtime.Tests.ScaleOut;

/// <summary>The Redis backplane's bounds: a Redis that does not answer never grows a queue here.</summary>
public sealed class RedisBackplaneTests : IAsyncLifetime
{
    private RedisServer _redis = null!;

    public async Task InitializeAsync() => _redis = await RedisServer.StartNewAsync();

    public async Task DisposeAsync()
    {
        await _redis.ResumeAsync();
        await _redis.DisposeAsync();
    }

    [Fact]
    public async Task Publish_RedisFrozen_PendingBoundedVolatileDroppedFirst_ThenSentAgainWhenItAnswers()
    {
        var settings = new ScaleOutSettings { Redis = _redis.Configuration, MaxPendingPublishes = 8, MaxPendingVolatilePublishes = 4 };
        RedisBackplane? backplane = null;
        using var metrics = new ScaleOutMetrics(() => backplane?.IsConnected == true);
        await using (backplane = new RedisBackplane(settings, metrics, NullLogger<RedisBackplane>.Instance))
        {
            await backplane.StartAsync();
            Assert.True(backplane.IsConnected);
            await _redis.PauseAsync();

            var volatileResults = Enumerable.Range(0, 6).Select(_ => backplane.Publish("c", [1], isVolatile: true)).ToArray();
            var results = Enumerable.Range(0, 6).Select(_ => backplane.Publish("c", [2])).ToArray();

            Assert.Equal([.. Enumerable.Repeat(BackplanePublishResult.Sent, 4), .. Enumerable.Repeat(BackplanePublishResult.DroppedBacklog, 2)],
                volatileResults);
            Assert.Equal([.. Enumerable.Repeat(BackplanePublishResult.Sent, 4), .. Enumerable.Repeat(BackplanePublishResult.DroppedBacklog, 2)],
                results);
            Assert.Equal(4, metrics.Dropped);

            await _redis.ResumeAsync();
            await Eventually.AssertAsync(() => backplane.Publish("c", [3]) == BackplanePublishResult.Sent, TimeSpan.FromSeconds(10),
                () => "publishes never went through again");
            Assert.Equal(9, metrics.Published);
        }
    }

    [Fact]
    public async Task KeyCommand_RedisFrozen_FailsWithTimeout_AndWorksAgainWhenItAnswers()
    {
        var settings = new ScaleOutSettings { Redis = _redis.Configuration, OperationTimeout = TimeSpan.FromMilliseconds(200) };
        using var metrics = new ScaleOutMetrics(() => true);
        await using var backplane = new RedisBackplane(settings, metrics, NullLogger<RedisBackplane>.Instance);
        await backplane.StartAsync();
        await _redis.PauseAsync();

        var get = backplane.GetAsync("frozen-key");
        bool finished = await Finishes(get);
        await _redis.ResumeAsync();
        await backplane.SetAsync("frozen-key", [7], TimeSpan.FromMinutes(1));
        var value = await backplane.GetAsync("frozen-key");

        Assert.True(finished, "a command to a frozen Redis was still waiting after 10 s");
        Assert.IsType<TimeoutException>(get.Exception?.InnerException);
        Assert.Equal([7], value);
    }

    [Fact]
    public async Task Subscribe_RedisFrozen_GivesUpAfterItsAttempts_ThenSubscribesOnceWhenItAnswers()
    {
        var settings = new ScaleOutSettings { Redis = _redis.Configuration, OperationTimeout = TimeSpan.FromMilliseconds(200) };
        using var metrics = new ScaleOutMetrics(() => true);
        await using var subscriber = new RedisBackplane(settings, metrics, NullLogger<RedisBackplane>.Instance);
        await using var publisher = new RedisBackplane(settings, metrics, NullLogger<RedisBackplane>.Instance);
        await subscriber.StartAsync();
        await publisher.StartAsync();
        var received = new List<byte>();
        void OnMessage(byte[] message)
        {
            lock (received) received.Add(message[0]);
        }
        await _redis.PauseAsync();

        var frozen = subscriber.SubscribeAsync("once", OnMessage);
        bool finished = await Finishes(frozen);
        await _redis.ResumeAsync();
        await subscriber.SubscribeAsync("once", OnMessage);
        for (byte i = 1; i <= 3; i++) Assert.Equal(BackplanePublishResult.Sent, publisher.Publish("once", [i]));
        await Eventually.AssertAsync(() => { lock (received) return received.Count >= 3; }, TimeSpan.FromSeconds(10), () => "the messages did not arrive");
        Assert.Equal(BackplanePublishResult.Sent, publisher.Publish("once", [4])); // fence: anything doubled arrives before it
        await Eventually.AssertAsync(() => { lock (received) return received.Contains(4); }, TimeSpan.FromSeconds(10), () => "the fence did not arrive");

        Assert.True(finished, "a subscription to a frozen Redis was still waiting after 10 s");
        Assert.IsType<TimeoutException>(frozen.Exception?.InnerException);
        lock (received) Assert.Equal([1, 2, 3, 4], received);
    }

    [Fact]
    public async Task Start_FreshConnectionLeavesItsFirstCommandUnanswered_ConnectsAgainAndWorks()
    {
        // The proxy silences the first connection that asks about the start-up probe key: connected, never answering.
        await using var proxy = new SilencingRedisProxy(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, _redis.Port),
            $"probe-cluster:{RedisBackplane.StartProbeKey}", command: "EXISTS", maxSilenced: 1);
        var settings = new ScaleOutSettings
        {
            Redis = proxy.Configuration, ChannelPrefix = "probe-cluster", OperationTimeout = TimeSpan.FromMilliseconds(500),
        };
        using var metrics = new ScaleOutMetrics(() => true);
        await using var backplane = new RedisBackplane(settings, metrics, NullLogger<RedisBackplane>.Instance);

        await backplane.StartAsync();
        await backplane.SetAsync("probe-cluster:written", [5], TimeSpan.FromMinutes(1));
        var value = await backplane.GetAsync("probe-cluster:written");

        Assert.True(backplane.IsConnected);
        Assert.Equal(1, proxy.Silenced);
        Assert.Equal([5], value);
    }

    /// <summary>Whether <paramref name="command"/> completed (either way) within a bound far above the timeouts set here.</summary>
    private static async Task<bool> Finishes(Task command) =>
        await Task.WhenAny(command, Task.Delay(TimeSpan.FromSeconds(10))) == command;
}
