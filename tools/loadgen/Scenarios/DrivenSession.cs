using System.Buffers;
using System.Diagnostics;
using FastRealtime.LoadGen.Measurement;
using FastRealtime.LoadGen.Net;
using FastRealtime.Transport.WebSockets;

namespace FastRealtime.LoadGen.Scenarios;

/// <summary>What the sending sessions of one run (echo, broadcast, chat) share: figures and how they are driven.</summary>
internal class DriveShared
{
    public required RunMetrics Metrics { get; init; }
    /// <summary>Sends follow a fixed-rate schedule (<see cref="Pacer"/>); otherwise each answer refills the window.</summary>
    public required bool Paced { get; init; }
    public required bool CorrectCoordinatedOmission { get; init; }
    public volatile bool Stopping;
}

/// <summary>
/// A connection that sends with a window: paced, the <see cref="Pacer"/> calls <see cref="TrySendPaced"/>; unpaced,
/// <see cref="Start"/> fills the window and every answer (<see cref="Answered"/>) allows one more message, sent in one
/// batch per read at <see cref="OnBatchEnd"/> (with the epoll engine, on the event-loop thread, flushed once per batch).
/// </summary>
internal abstract class DrivenSession(DriveShared shared) : IConnectionListener, IPacedSender
{
    private int _refill;

    public long NextIntended { get; set; }
    public abstract bool HasQuota { get; }

    /// <summary>Unpaced start: fills the window.</summary>
    public abstract void Start();

    public abstract bool TrySendPaced(long intended);

    public abstract void OnMessage(WebSocketMessageKind kind, in ReadOnlySequence<byte> payload);

    public void OnBatchEnd()
    {
        int refill = _refill;
        if (refill == 0) return;
        _refill = 0;
        if (!shared.Stopping) SendBurst(refill);
    }

    /// <summary>Sends up to <paramref name="count"/> messages at once (within quota and window).</summary>
    protected abstract void SendBurst(int count);

    /// <summary>Called from the receive path when a message of ours was answered: unpaced, one more may go.</summary>
    protected void Answered()
    {
        if (!shared.Paced) _refill++;
    }
}

/// <summary>
/// A driven session whose answers come back in send order (echo replies, chat acks): a ring of send times with
/// volatile indices, single producer (the sender: pacer or receive path) and single consumer (the receive path), so
/// they never lock. Message <c>sequence</c> goes out as copy <c>index</c> of the pre-masked frames after
/// <see cref="Prepare"/> patched what varies.
/// </summary>
internal abstract class InOrderSession : DrivenSession
{
    private readonly DriveShared _shared;
    private readonly long[] _sendTimes;
    private long _head;  // next answer's sequence; written by the receive path only
    private long _tail;  // next send's sequence; written by the sender only
    private long _quota;

    protected InOrderSession(DriveShared shared, IClientConnection connection, PremaskedFrames frames, int window, long quota) : base(shared)
    {
        _shared = shared;
        Connection = connection;
        Frames = frames;
        _sendTimes = new long[window];
        _quota = quota;
    }

    public IClientConnection Connection { get; }
    protected PremaskedFrames Frames { get; }
    public override bool HasQuota => Volatile.Read(ref _quota) > 0;
    public long Outstanding => Volatile.Read(ref _tail) - Volatile.Read(ref _head);

    public override void Start() => SendBurst(_sendTimes.Length);

    public override bool TrySendPaced(long intended)
    {
        long tail = _tail;
        if (tail - Volatile.Read(ref _head) >= _sendTimes.Length) return false;
        Prepare(0, tail, _shared.CorrectCoordinatedOmission ? intended : Stopwatch.GetTimestamp());
        Commit(tail, 1);
        return true;
    }

    protected override void SendBurst(int count)
    {
        count = (int)Math.Min(count, Math.Min(_quota, Frames.Capacity));
        if (count <= 0) return;
        long now = Stopwatch.GetTimestamp();
        long tail = _tail;
        for (int i = 0; i < count; i++) Prepare(i, tail + i, now);
        Commit(tail, count);
    }

    /// <summary>Copy <paramref name="index"/> becomes message <paramref name="sequence"/>, stamped <paramref name="stamp"/>
    /// (Stopwatch ticks); overrides patch the frame, and must call the base to record the send time.</summary>
    protected virtual void Prepare(int index, long sequence, long stamp) => _sendTimes[sequence % _sendTimes.Length] = stamp;

    /// <summary>Takes the oldest outstanding message (its answer came, or it was refused); false when none is.</summary>
    protected bool TryTakeOldest(out long sequence, out long sentAt)
    {
        sequence = _head;
        sentAt = 0;
        if (sequence == Volatile.Read(ref _tail)) return false;
        sentAt = _sendTimes[sequence % _sendTimes.Length];
        Volatile.Write(ref _head, sequence + 1);
        Answered();
        return true;
    }

    private void Commit(long tail, int count)
    {
        Volatile.Write(ref _tail, tail + count);
        _quota -= count;
        _shared.Metrics.Sent.Add(count);
        if (!Connection.Send(Frames.Frames(count))) _shared.Metrics.Errors.Add("send-failed");
    }
}
