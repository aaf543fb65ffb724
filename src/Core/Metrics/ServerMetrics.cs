using System.Diagnostics.Metrics;

namespace FastRealtime.Core.Metrics;

/// <summary>
/// The server's counters, published through System.Diagnostics.Metrics (meter "FastRealtime").
/// </summary>
/// <remarks>
/// Per-message counts are plain interlocked fields read by observable instruments, so the hot path pays
/// one atomic add and never a listener callback. Thread safety: every method may be called from any thread.
/// </remarks>
public sealed class ServerMetrics : IDisposable
{
    public const string MeterName = "FastRealtime";

    private readonly Meter _meter;
    private long _connectionsAccepted;
    private long _connectionsActive;
    private long _connectionsRejected;
    private long _bytesReceived;
    private long _bytesSent;
    private long _messagesReceived;
    private long _messagesSent;
    private long _framesReceived;
    private long _overflowCloses;
    private long _droppedMessages;
    private long _handshakes;
    private long _handshakeFailures;
    private readonly long[] _closesByCode = new long[CloseCodeBuckets.Length];

    // The close codes worth a series of their own; anything else lands in "other".
    private static readonly ushort[] CloseCodeBuckets = [1000, 1001, 1002, 1003, 1005, 1006, 1007, 1008, 1009, 1010, 1011, 0];

    public ServerMetrics(string meterName = MeterName)
    {
        _meter = new Meter(meterName);
        _meter.CreateObservableCounter("fastrealtime.connections.accepted", () => Volatile.Read(ref _connectionsAccepted), "{connection}", "TCP connections accepted");
        _meter.CreateObservableCounter("fastrealtime.connections.rejected", () => Volatile.Read(ref _connectionsRejected), "{connection}", "Connections refused by a limit");
        _meter.CreateObservableUpDownCounter("fastrealtime.connections.active", () => Volatile.Read(ref _connectionsActive), "{connection}", "Open TCP connections");
        _meter.CreateObservableCounter("fastrealtime.bytes.received", () => Volatile.Read(ref _bytesReceived), "By", "Bytes read from sockets");
        _meter.CreateObservableCounter("fastrealtime.bytes.sent", () => Volatile.Read(ref _bytesSent), "By", "Bytes written to sockets");
        _meter.CreateObservableCounter("fastrealtime.messages.received", () => Volatile.Read(ref _messagesReceived), "{message}", "Complete messages received");
        _meter.CreateObservableCounter("fastrealtime.messages.sent", () => Volatile.Read(ref _messagesSent), "{message}", "Messages queued for sending");
        _meter.CreateObservableCounter("fastrealtime.frames.received", () => Volatile.Read(ref _framesReceived), "{frame}", "WebSocket frames received");
        _meter.CreateObservableCounter("fastrealtime.outbound.overflow_closes", () => Volatile.Read(ref _overflowCloses), "{connection}", "Connections closed because their outbound queue passed its bound");
        _meter.CreateObservableCounter("fastrealtime.outbound.dropped", () => Volatile.Read(ref _droppedMessages), "{message}", "Volatile messages dropped for a busy connection");
        _meter.CreateObservableCounter("fastrealtime.handshakes", () => Volatile.Read(ref _handshakes), "{handshake}", "Successful WebSocket handshakes");
        _meter.CreateObservableCounter("fastrealtime.handshakes.failed", () => Volatile.Read(ref _handshakeFailures), "{handshake}", "Refused or failed handshakes");
        _meter.CreateObservableCounter("fastrealtime.closes", ObserveCloses, "{close}", "WebSocket closes by close code");
        _meter.CreateObservableGauge("fastrealtime.process.managed_heap", () => GC.GetGCMemoryInfo().HeapSizeBytes, "By", "Managed heap size after the last GC");
        _meter.CreateObservableGauge("fastrealtime.process.managed_allocated", () => GC.GetTotalMemory(false), "By", "Managed bytes in use, garbage not yet collected included");
        _meter.CreateObservableGauge("fastrealtime.process.managed_committed", () => GC.GetGCMemoryInfo().TotalCommittedBytes, "By", "Memory the GC has committed");
        _meter.CreateObservableGauge("fastrealtime.process.working_set", () => Environment.WorkingSet, "By", "Resident memory of the process");
    }

    public Meter Meter => _meter;

    public long ActiveConnections => Volatile.Read(ref _connectionsActive);
    public long AcceptedConnections => Volatile.Read(ref _connectionsAccepted);
    public long BytesReceived => Volatile.Read(ref _bytesReceived);
    public long BytesSent => Volatile.Read(ref _bytesSent);
    public long MessagesReceived => Volatile.Read(ref _messagesReceived);
    public long MessagesSent => Volatile.Read(ref _messagesSent);
    public long OverflowCloses => Volatile.Read(ref _overflowCloses);
    public long DroppedMessages => Volatile.Read(ref _droppedMessages);
    public long FramesReceived => Volatile.Read(ref _framesReceived);
    public long HandshakeFailures => Volatile.Read(ref _handshakeFailures);

    public void ConnectionOpened()
    {
        Interlocked.Increment(ref _connectionsAccepted);
        Interlocked.Increment(ref _connectionsActive);
    }

    public void ConnectionClosed() => Interlocked.Decrement(ref _connectionsActive);
    public void ConnectionRejected() => Interlocked.Increment(ref _connectionsRejected);
    public void BytesIn(int count) => Interlocked.Add(ref _bytesReceived, count);
    public void BytesOut(int count) => Interlocked.Add(ref _bytesSent, count);
    public void MessageIn() => Interlocked.Increment(ref _messagesReceived);
    public void MessagesOut(int count = 1) => Interlocked.Add(ref _messagesSent, count);
    public void FramesIn(long count)
    {
        if (count > 0) Interlocked.Add(ref _framesReceived, count);
    }
    public void OverflowClose() => Interlocked.Increment(ref _overflowCloses);
    public void MessageDropped() => Interlocked.Increment(ref _droppedMessages);
    public void HandshakeSucceeded() => Interlocked.Increment(ref _handshakes);
    public void HandshakeFailed() => Interlocked.Increment(ref _handshakeFailures);

    public void CloseObserved(ushort code)
    {
        int index = Array.IndexOf(CloseCodeBuckets, code);
        if (index < 0) index = CloseCodeBuckets.Length - 1;
        Interlocked.Increment(ref _closesByCode[index]);
    }

    public long ClosesWithCode(ushort code)
    {
        int index = Array.IndexOf(CloseCodeBuckets, code);
        return index < 0 ? 0 : Volatile.Read(ref _closesByCode[index]);
    }

    private IEnumerable<Measurement<long>> ObserveCloses()
    {
        for (int i = 0; i < CloseCodeBuckets.Length; i++)
        {
            string code = CloseCodeBuckets[i] == 0 ? "other" : CloseCodeBuckets[i].ToString(System.Globalization.CultureInfo.InvariantCulture);
            yield return new Measurement<long>(Volatile.Read(ref _closesByCode[i]), new KeyValuePair<string, object?>("code", code));
        }
    }

    public void Dispose() => _meter.Dispose();
}
