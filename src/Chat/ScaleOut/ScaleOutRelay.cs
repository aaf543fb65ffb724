using System.Collections.Concurrent;
using System.Text;
using FastRealtime.Chat.Gateways;
using Microsoft.Extensions.Logging;

namespace FastRealtime.Chat.ScaleOut;

/// <summary>
/// The gateway framework's <see cref="IGatewayBroadcastRelay"/> over a backplane: publishes every emission to rooms,
/// everyone or a user once (one envelope, <see cref="ScaleOutEnvelope"/>), and delivers the emissions of other nodes
/// to this node's members through <see cref="GatewayNamespace.DeliverRelayed"/>.
/// </summary>
/// <remarks>
/// A node's own messages come back from Redis too; they are recognised by the origin node id without decoding and
/// ignored, so a local member never receives an emission twice. Thread-safe.
/// </remarks>
public sealed class ScaleOutRelay : IGatewayBroadcastRelay
{
    private readonly IBackplane _backplane;
    private readonly ScaleOutChannels _channels;
    private readonly ScaleOutMetrics _metrics;
    private readonly ILogger _logger;
    private readonly byte[] _nodeIdUtf8;
    private readonly ConcurrentDictionary<string, string> _emitChannels = new(StringComparer.Ordinal);
    private readonly Func<string, string> _channelOf;
    private GatewayServer? _gateways;

    public ScaleOutRelay(ScaleOutNodeIdentity identity, IBackplane backplane, ScaleOutChannels channels, ScaleOutMetrics metrics,
        ILogger<ScaleOutRelay> logger)
    {
        NodeId = identity.NodeId;
        _backplane = backplane;
        _channels = channels;
        _metrics = metrics;
        _logger = logger;
        _nodeIdUtf8 = Encoding.UTF8.GetBytes(NodeId);
        _channelOf = channels.Emit;
    }

    public string NodeId { get; }

    /// <summary>Subscribes to the channel of each namespace <paramref name="gateways"/> serves.</summary>
    public async Task StartAsync(GatewayServer gateways)
    {
        _gateways = gateways;
        foreach (var @namespace in gateways.Namespaces)
            await _backplane.SubscribeAsync(ChannelOf(@namespace.Name), OnMessage).ConfigureAwait(false);
    }

    public void Relay(scoped in GatewayRelayedEmission emission)
    {
        var message = ScaleOutEnvelope.Encode(NodeId, emission);
        if (message is null)
        {
            _metrics.OnMalformed();
            return;
        }
        _backplane.Publish(ChannelOf(emission.Namespace), message, emission.IsVolatile);
    }

    // Namespaces are fixed at start-up, so the channel names are built once each.
    private string ChannelOf(string @namespace) => _emitChannels.GetOrAdd(@namespace, _channelOf);

    private void OnMessage(byte[] message)
    {
        if (ScaleOutEnvelope.IsFrom(message, _nodeIdUtf8)) return;
        if (!ScaleOutEnvelope.TryDecode(message, out var decoded) || _gateways is not { } gateways
            || !gateways.TryGetNamespace(decoded.Namespace, out var @namespace))
        {
            _metrics.OnMalformed();
            return;
        }
        try
        {
            @namespace.DeliverRelayed(decoded.ToEmission());
            _metrics.OnReceived();
        }
        catch (Exception e)
        {
            _logger.LogError(e, "Delivering {Event} from node {Node} failed", decoded.Event, decoded.OriginNode);
        }
    }
}

/// <summary>This node's id in the cluster (<see cref="ScaleOutSettings.NodeId"/> or a random one).</summary>
public sealed class ScaleOutNodeIdentity(ScaleOutSettings settings)
{
    public string NodeId { get; } = string.IsNullOrWhiteSpace(settings.NodeId) ? Guid.NewGuid().ToString("N")[..16] : settings.NodeId;
}
