using FastRealtime.Chat.Gateways;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace FastRealtime.Chat.ScaleOut;

/// <summary>
/// Starts and stops this node's part of the cluster: the backplane connection, the relay's subscriptions and the
/// presence heartbeats. The generic host runs it as a hosted service (<c>AddScaleOut</c>); an in-process server
/// (tests) calls <see cref="StartAsync"/> and disposes it.
/// </summary>
public sealed class ScaleOutNode(IServiceProvider services, IBackplane backplane, ScaleOutRelay relay, ClusterPresence presence,
    ILogger<ScaleOutNode> logger)
    : IHostedService, IAsyncDisposable, IDisposable
{
    private int _started;

    public string NodeId => relay.NodeId;

    public IBackplane Backplane => backplane;

    public ClusterPresence Presence => presence;

    /// <summary>Connects (or keeps trying in the background when Redis is down), subscribes, and starts heart-beating.</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _started, 1) == 1) return;
        var gateways = services.GetRequiredService<GatewayServer>();
        await backplane.StartAsync(cancellationToken).ConfigureAwait(false);
        await relay.StartAsync(gateways).ConfigureAwait(false);
        await presence.StartAsync(gateways).ConfigureAwait(false);
        // The step between "Connected to Redis" and the server listening: its absence in a log points at the backplane.
        logger.LogInformation("Joined the cluster as node {NodeId} ({Backplane})", NodeId,
            backplane.IsConnected ? "backplane connected, channels subscribed" : "backplane not connected yet: subscribing when it is");
    }

    /// <summary>Leaves the cluster cleanly (no NodeLost is raised for a node that said goodbye) and disconnects.</summary>
    public Task StopAsync(CancellationToken cancellationToken = default) => StopAsync(goodbye: true);

    /// <summary>
    /// Without <paramref name="goodbye"/>, stops as a crash would look to the others: heartbeats stop and the keys stay,
    /// so another node declares this one lost after the heartbeat expires.
    /// </summary>
    public async Task StopAsync(bool goodbye)
    {
        await presence.StopAsync(goodbye).ConfigureAwait(false);
        await backplane.DisposeAsync().ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync() => await StopAsync(goodbye: true).ConfigureAwait(false);

    /// <summary>
    /// For containers disposed synchronously (<c>using var app = builder.Build()</c>): the host has normally stopped the
    /// node already, so this finds nothing left to do; otherwise it waits for the goodbye (bounded by Redis timeouts).
    /// </summary>
    public void Dispose() => StopAsync(goodbye: true).GetAwaiter().GetResult();
}
