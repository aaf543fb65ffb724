using System.Diagnostics.Metrics;

namespace FastRealtime.Chat.ScaleOut;

/// <summary>
/// Scale-out instruments on the meter "FastRealtime.ScaleOut": messages published, received from other nodes, dropped
/// (tag <c>reason</c>: disconnected, backlog, failed, malformed), whether the backplane is connected (gauge 0/1), and the
/// live nodes this node sees (gauge, itself included).
/// </summary>
/// <remarks>One instance per node (several nodes may run in one process, as in the tests). Thread-safe.</remarks>
public sealed class ScaleOutMetrics : IDisposable
{
    public const string MeterName = "FastRealtime.ScaleOut";

    private static readonly KeyValuePair<string, object?> s_disconnected = new("reason", "disconnected");
    private static readonly KeyValuePair<string, object?> s_backlog = new("reason", "backlog");
    private static readonly KeyValuePair<string, object?> s_failed = new("reason", "failed");
    private static readonly KeyValuePair<string, object?> s_malformed = new("reason", "malformed");

    private readonly Counter<long> _published;
    private readonly Counter<long> _received;
    private readonly Counter<long> _dropped;
    private long _publishedTotal, _receivedTotal, _droppedTotal;

    public ScaleOutMetrics(Func<bool> isConnected, Func<int>? liveNodes = null)
    {
        Meter = new Meter(MeterName);
        _published = Meter.CreateCounter<long>("fastrealtime.scaleout.published", description: "Messages published to the backplane");
        _received = Meter.CreateCounter<long>("fastrealtime.scaleout.received", description: "Messages from other nodes delivered here");
        _dropped = Meter.CreateCounter<long>("fastrealtime.scaleout.dropped", description: "Messages dropped (backplane down or slow, bad input)");
        Meter.CreateObservableGauge("fastrealtime.scaleout.connected", () => isConnected() ? 1 : 0, description: "1 while the backplane is connected");
        if (liveNodes is not null)
            Meter.CreateObservableGauge("fastrealtime.scaleout.nodes", liveNodes, description: "Nodes whose heartbeat was alive at the last check, this one included");
    }

    public Meter Meter { get; }

    public long Published => Interlocked.Read(ref _publishedTotal);
    public long Received => Interlocked.Read(ref _receivedTotal);
    public long Dropped => Interlocked.Read(ref _droppedTotal);

    internal void OnPublished()
    {
        Interlocked.Increment(ref _publishedTotal);
        _published.Add(1);
    }

    internal void OnReceived()
    {
        Interlocked.Increment(ref _receivedTotal);
        _received.Add(1);
    }

    internal void OnDropped(BackplanePublishResult result) => Drop(result == BackplanePublishResult.DroppedBacklog ? s_backlog : s_disconnected);

    internal void OnPublishFailed() => Drop(s_failed);

    internal void OnMalformed() => Drop(s_malformed);

    private void Drop(KeyValuePair<string, object?> reason)
    {
        Interlocked.Increment(ref _droppedTotal);
        _dropped.Add(1, reason);
    }

    public void Dispose() => Meter.Dispose();
}
