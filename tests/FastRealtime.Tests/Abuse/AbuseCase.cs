using FastRealtime.Chat.Hosting;
using FastRealtime.Tests.Infrastructure;

namespace FastRealtime.Tests.Abuse;

/// <summary>The abuse tests share the process's file descriptors and memory, so they run alone, one at a time.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class AbuseCollection
{
    public const string Name = "Abuse";
}

/// <summary>
/// A server under attack plus one well-behaved echo client connected before the attack: after it, that client and
/// a fresh one must still be served, and the attacker's connections must all be gone.
/// </summary>
public sealed class AbuseCase : IAsyncDisposable
{
    public static readonly TimeSpan Bound = TimeSpan.FromSeconds(15);
    public const long MemoryBound = 200L * 1024 * 1024;

    private AbuseCase(TestServer server, RawWebSocketClient healthy)
    {
        Server = server;
        Healthy = healthy;
    }

    public TestServer Server { get; }

    public RawWebSocketClient Healthy { get; }

    public static async Task<AbuseCase> StartAsync(Action<ServerSettings>? configure = null)
    {
        var server = TestServer.Start(configure);
        var healthy = await RawWebSocketClient.ConnectAsync(server.EndPoint);
        await ServerProbe.AssertEchoesAsync(healthy, "before the attack");
        return new AbuseCase(server, healthy);
    }

    /// <summary>The healthy client still gets echoes, a fresh client too, and only the healthy one is left connected.</summary>
    public async Task AssertServerHealthyAsync()
    {
        await ServerProbe.AssertEchoesAsync(Healthy, "after the attack");
        await ServerProbe.AssertEchoesAsync(Server);
        await AssertOnlyHealthyClientLeftAsync();
    }

    public Task AssertOnlyHealthyClientLeftAsync() =>
        Eventually.AssertAsync(() => Server.Server.ConnectionCount == 1, Bound,
            () => $"Expected only the healthy client connected, the server has {Server.Server.ConnectionCount}");

    public async ValueTask DisposeAsync()
    {
        await Healthy.DisposeAsync();
        await Server.DisposeAsync();
    }
}
