using System.Text.Json;
using FastRealtime.Chat.Gateways;
using Microsoft.Extensions.Logging;

namespace FastRealtime.Chat.ScaleOut;

/// <summary>
/// Node liveness and the lost-node report (this file), and the cluster queries (ClusterPresence.Queries.cs).
/// </summary>
/// <remarks>
/// <para>Every <see cref="ScaleOutSettings.HeartbeatInterval"/> a node sets its heartbeat key (expiring after
/// <see cref="ScaleOutSettings.NodeTimeout"/>), adds itself to the node set, publishes its membership snapshot when it
/// changed, and checks the other nodes of the set: one whose heartbeat key is gone is removed from the set (SREM:
/// exactly one checker wins) and the winner raises <see cref="NodeLost"/> with the lost node's last snapshot. So a
/// crashed node's users are reported within NodeTimeout + HeartbeatInterval of its last heartbeat.</para>
/// <para>While the backplane is down the ticks do nothing (and nothing is declared lost); when Redis comes back empty,
/// each node writes its keys again on its next tick.</para>
/// </remarks>
public sealed partial class ClusterPresence : IClusterPresence, IAsyncDisposable, IDisposable
{
    private static readonly TimeSpan MembersExpiry = TimeSpan.FromMinutes(2);
    private const int RefreshMembersEveryTicks = 10;

    private readonly ScaleOutSettings _settings;
    private readonly IBackplane _backplane;
    private readonly ScaleOutChannels _channels;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private GatewayServer? _gateways;
    private Task? _loop;
    private byte[] _lastMembers = [];
    private int _ticksSinceMembers;
    private volatile string[] _liveNodes;

    public ClusterPresence(ScaleOutSettings settings, ScaleOutNodeIdentity identity, IBackplane backplane, ScaleOutChannels channels,
        ILogger<ClusterPresence> logger)
    {
        _settings = settings;
        NodeId = identity.NodeId;
        _backplane = backplane;
        _channels = channels;
        _logger = logger;
        _liveNodes = [NodeId];
    }

    public string NodeId { get; }

    public IReadOnlyCollection<string> LiveNodes => _liveNodes;

    public event Action<NodeLostEvent>? NodeLost;

    public async Task StartAsync(GatewayServer gateways)
    {
        _gateways = gateways;
        await SubscribeQueriesAsync().ConfigureAwait(false);
        await TickAsync().ConfigureAwait(false);
        _loop = Task.Run(HeartbeatLoopAsync);
    }

    private async Task HeartbeatLoopAsync()
    {
        using var timer = new PeriodicTimer(_settings.HeartbeatInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(_stopping.Token).ConfigureAwait(false)) await TickAsync().ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>One heartbeat: refresh this node's keys, then look for lost nodes. Redis errors skip the tick.</summary>
    internal async Task TickAsync()
    {
        if (!_backplane.IsConnected || _gateways is null || _stopping.IsCancellationRequested) return;
        try
        {
            await _backplane.SetAsync(_channels.Heartbeat(NodeId), [1], _settings.NodeTimeout).ConfigureAwait(false);
            await _backplane.SetAddAsync(_channels.Nodes, NodeId).ConfigureAwait(false);
            await PublishMembersAsync(_gateways).ConfigureAwait(false);
            await CheckNodesAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (!_stopping.IsCancellationRequested)
        {
            _logger.LogDebug(e, "Heartbeat skipped (backplane unavailable)");
        }
    }

    private async Task PublishMembersAsync(GatewayServer gateways)
    {
        var members = JsonSerializer.SerializeToUtf8Bytes(LocalMembership.Snapshot(gateways));
        if (members.AsSpan().SequenceEqual(_lastMembers) && ++_ticksSinceMembers < RefreshMembersEveryTicks) return;
        await _backplane.SetAsync(_channels.Members(NodeId), members, MembersExpiry).ConfigureAwait(false);
        _lastMembers = members;
        _ticksSinceMembers = 0;
    }

    private async Task CheckNodesAsync()
    {
        var live = new List<string> { NodeId };
        var expired = new List<string>();
        foreach (var node in await _backplane.SetMembersAsync(_channels.Nodes).ConfigureAwait(false))
        {
            if (node == NodeId) continue;
            (await _backplane.ExistsAsync(_channels.Heartbeat(node)).ConfigureAwait(false) ? live : expired).Add(node);
        }
        _liveNodes = [.. live]; // before the report: a NodeLost handler's queries no longer wait for the lost node
        foreach (var node in expired)
            if (await _backplane.SetRemoveAsync(_channels.Nodes, node).ConfigureAwait(false)) await ReportLostAsync(node).ConfigureAwait(false);
    }

    private async Task ReportLostAsync(string node)
    {
        var snapshot = await _backplane.GetAsync(_channels.Members(node)).ConfigureAwait(false);
        await _backplane.DeleteAsync(_channels.Members(node)).ConfigureAwait(false);
        Dictionary<string, NamespaceMembership>? namespaces = null;
        try
        {
            if (snapshot is { Length: > 0 }) namespaces = JsonSerializer.Deserialize<Dictionary<string, NamespaceMembership>>(snapshot);
        }
        catch (JsonException e)
        {
            _logger.LogWarning(e, "Node {Node}'s membership snapshot is unreadable", node);
        }
        var lost = new NodeLostEvent(node, namespaces ?? new Dictionary<string, NamespaceMembership>(StringComparer.Ordinal));
        _logger.LogWarning("Node {Node} stopped heart-beating; reporting its {Count} users gone", node,
            lost.Namespaces.Values.Sum(n => n.Users.Length));
        try
        {
            NodeLost?.Invoke(lost);
        }
        catch (Exception e)
        {
            _logger.LogError(e, "A NodeLost handler failed for node {Node}", node);
        }
    }

    /// <summary>Stops heart-beating; with <paramref name="goodbye"/> also leaves the node set (a clean stop reports no loss).</summary>
    internal async Task StopAsync(bool goodbye)
    {
        if (_stopping.IsCancellationRequested) return;
        _stopping.Cancel();
        if (_loop is not null) await _loop.ConfigureAwait(false);
        FailPendingQueries();
        if (!goodbye || !_backplane.IsConnected) return;
        try
        {
            await _backplane.SetRemoveAsync(_channels.Nodes, NodeId).ConfigureAwait(false);
            await _backplane.DeleteAsync(_channels.Heartbeat(NodeId)).ConfigureAwait(false);
            await _backplane.DeleteAsync(_channels.Members(NodeId)).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            _logger.LogDebug(e, "Leaving the cluster cleanly failed (Redis unavailable); the others will time this node out");
        }
    }

    public async ValueTask DisposeAsync() => await StopAsync(goodbye: true).ConfigureAwait(false);

    public void Dispose() => StopAsync(goodbye: true).GetAwaiter().GetResult();
}
