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
}
