using FastRealtime.Chat.ScaleOut;
using FastRealtime.Tests.Gateways;
using Microsoft.Extensions.DependencyInjection;

namespace FastRealtime.Tests.ScaleOut;

/// <summary>
/// One FastRealtime node in the test process: a <see cref="GatewayTestServer"/> (its own ServiceProvider, the test
/// gateway at "/test" on plain WebSocket and Socket.IO, its own loopback port) with scale-out over the given Redis.
/// </summary>
public sealed class ScaleOutTestNode : IAsyncDisposable
{
    private bool _stopped;

    private ScaleOutTestNode(GatewayTestServer server)
    {
        Gateway = server;
        Node = server.Services.GetRequiredService<ScaleOutNode>();
    }

    public GatewayTestServer Gateway { get; }
    public ScaleOutNode Node { get; }
    public Chat.Gateways.GatewayNamespace Namespace => Gateway.Namespace;
    public IServiceProvider Services => Gateway.Services;
    public IClusterPresence Presence => Services.GetRequiredService<IClusterPresence>();
    public ScaleOutMetrics Metrics => Services.GetRequiredService<ScaleOutMetrics>();
    public string BaseUrl => Gateway.BaseUrl;

    /// <summary>Fast heartbeats and reconnects so liveness and fault tests stay short.</summary>
    public static ScaleOutSettings Settings(RedisServer redis, string prefix, string nodeId) => new()
    {
        Redis = redis.Configuration,
        ChannelPrefix = prefix,
        NodeId = nodeId,
        HeartbeatInterval = TimeSpan.FromMilliseconds(200),
        NodeTimeout = TimeSpan.FromMilliseconds(800),
        QueryTimeout = TimeSpan.FromSeconds(2),
        MaxReconnectBackoff = TimeSpan.FromMilliseconds(500),
    };

    public static async Task<ScaleOutTestNode> StartAsync(ScaleOutSettings settings)
    {
        var node = new ScaleOutTestNode(GatewayTestServer.Start(services: collection => Assert.True(collection.AddScaleOut(settings))));
        await node.Node.StartAsync();
        return node;
    }

    /// <summary>A plain-WebSocket client of <paramref name="user"/> that joined <paramref name="rooms"/>.</summary>
    public async Task<JsonWsClient> ConnectAndJoinAsync(string user, params string[] rooms)
    {
        var client = await Gateway.ConnectAsync(user);
        foreach (var room in rooms) Assert.Equal("Joined", (await client.RequestAsync("join", new { room })).GetString());
        return client;
    }

    /// <summary>Stops as a crashed node looks to the others: no goodbye, its heartbeat just expires.</summary>
    public async Task CrashAsync()
    {
        _stopped = true;
        await Node.StopAsync(goodbye: false);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_stopped) await Node.StopAsync(goodbye: true);
        await Gateway.DisposeAsync();
    }
}
