using System.Buffers;
using System.Diagnostics;
using FastRealtime.LoadGen.Measurement;
using FastRealtime.LoadGen.Net;
using FastRealtime.Transport.WebSockets;

namespace FastRealtime.LoadGen.Scenarios;

/// <summary>State the echo sessions of one run share (read-mostly).</summary>
internal sealed class EchoShared
{
    public required RunMetrics Metrics { get; init; }
    public required bool Paced { get; init; }
    public required bool CorrectCoordinatedOmission { get; init; }
    /// <summary>Expected reply length, or -1 when the protocol lets the server reshape replies.</summary>
    public required int ExpectedReplyLength { get; init; }
    public volatile bool Stopping;
}

/// <summary>
/// One echo connection. Replies are matched FIFO against a ring of send times: a single-producer
/// (sender) / single-consumer (receive loop) ring with volatile indices, so pacer and receive loop never lock.
/// Unpaced, the receive path refills the window itself: every reply allows one more message, sent in one batch
/// per read from the pre-masked frames (with the epoll engine, on the event-loop thread, flushed once per batch).
/// </summary>
internal sealed class EchoSession : IConnectionListener, IPacedSender
{
    private readonly IClientConnection _connection;
    private readonly PremaskedFrames _frames;
    private readonly EchoShared _shared;
    private readonly long[] _sendTimes;
    private long _head;  // next reply's slot; written by the receive loop only
    private long _tail;  // next send's slot; written by the sender only
    private long _quota;
    private int _refill;

    public EchoSession(IClientConnection connection, PremaskedFrames frames, EchoShared shared, int window, long quota)
    {
        _connection = connection;
        _frames = frames;
        _shared = shared;
        _sendTimes = new long[window];
        _quota = quota;
    }

    public IClientConnection Connection => _connection;
    public long NextIntended { get; set; }
    public bool HasQuota => Volatile.Read(ref _quota) > 0;
    public long Outstanding => Volatile.Read(ref _tail) - Volatile.Read(ref _head);

    /// <summary>Unpaced start: fills the window.</summary>
    public void Start() => SendBurst(_sendTimes.Length);

    public void OnMessage(WebSocketMessageKind kind, in ReadOnlySequence<byte> payload)
    {
        long head = _head;
        if (head == Volatile.Read(ref _tail))
        {
            _shared.Metrics.Errors.Add("unexpected-reply");
            return;
        }
        long sentAt = _sendTimes[head % _sendTimes.Length];
        Volatile.Write(ref _head, head + 1);
        _shared.Metrics.RecordLatencySince(sentAt);
        _shared.Metrics.Received.Increment();
        if (_shared.ExpectedReplyLength >= 0 && payload.Length != _shared.ExpectedReplyLength) _shared.Metrics.Errors.Add("echo-mismatch");
        if (!_shared.Paced) _refill++;
    }

    public void OnBatchEnd()
    {
        int refill = _refill;
        if (refill == 0) return;
        _refill = 0;
        if (!_shared.Stopping) SendBurst(refill);
    }

    public bool TrySendPaced(long intended)
    {
        long tail = _tail;
        if (tail - Volatile.Read(ref _head) >= _sendTimes.Length) return false;
        _sendTimes[tail % _sendTimes.Length] = _shared.CorrectCoordinatedOmission ? intended : Stopwatch.GetTimestamp();
        Volatile.Write(ref _tail, tail + 1);
        _quota--;
        _shared.Metrics.Sent.Increment();
        if (!_connection.Send(_frames.Frames(1))) _shared.Metrics.Errors.Add("send-failed");
        return true;
    }

    private void SendBurst(int count)
    {
        count = (int)Math.Min(count, Math.Min(_quota, _frames.Capacity));
        if (count <= 0) return;
        long now = Stopwatch.GetTimestamp();
        long tail = _tail;
        for (int i = 0; i < count; i++) _sendTimes[(tail + i) % _sendTimes.Length] = now;
        Volatile.Write(ref _tail, tail + count);
        _quota -= count;
        _shared.Metrics.Sent.Add(count);
        if (!_connection.Send(_frames.Frames(count))) _shared.Metrics.Errors.Add("send-failed");
    }
}
