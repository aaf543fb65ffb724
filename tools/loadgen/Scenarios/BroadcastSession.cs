using System.Buffers;
using System.Diagnostics;
using FastRealtime.LoadGen.Measurement;
using FastRealtime.LoadGen.Net;
using FastRealtime.LoadGen.Protocols;
using FastRealtime.Transport.WebSockets;

namespace FastRealtime.LoadGen.Scenarios;

/// <summary>State the broadcast sessions of one run share.</summary>
internal sealed class BroadcastShared : DriveShared
{
    public required ILoadProtocol Protocol { get; init; }
    /// <summary>Messages published into each room (all time), for deliveries = publishes × members.</summary>
    public required long[] PublishesPerRoom { get; init; }
}

/// <summary>
/// One member of a room; publishers also send. Every delivery carries its send stamp, so latency is end to end
/// (one process, one Stopwatch). A publisher's window counts its own messages not yet back to it (the server
/// delivers to the sender too), which is the natural ack of the broadcast convention.
/// </summary>
internal sealed class BroadcastSession : DrivenSession
{
    private readonly BroadcastShared _shared;
    private readonly PremaskedFrames? _frames;
    private readonly int _window;
    private int _outstanding;
    private long _quota;

    public BroadcastSession(IClientConnection connection, BroadcastShared shared, int id, int room, PremaskedFrames? frames, int window, long quota)
        : base(shared)
    {
        Connection = connection;
        _shared = shared;
        Id = id;
        Room = room;
        _frames = frames;
        _window = window;
        _quota = frames is null ? 0 : quota;
    }

    public IClientConnection Connection { get; }
    public int Id { get; }
    public int Room { get; }
    public bool IsPublisher => _frames is not null;
    public override bool HasQuota => Volatile.Read(ref _quota) > 0;

    public override void Start()
    {
        if (IsPublisher) SendBurst(_window);
    }

    public override void OnMessage(WebSocketMessageKind kind, in ReadOnlySequence<byte> payload)
    {
        long now = ReceiveClock.Now;
        if (!_shared.Protocol.TryReadStamp(payload, out long stamp, out int publisherId))
        {
            _shared.Metrics.Errors.Add("unstamped-message");
            return;
        }
        _shared.Metrics.RecordLatencyTicks(now - stamp);
        _shared.Metrics.Received.Increment();
        if (publisherId != Id || !IsPublisher) return;
        Interlocked.Decrement(ref _outstanding);
        Answered();
    }

    public override bool TrySendPaced(long intended)
    {
        if (Volatile.Read(ref _outstanding) >= _window) return false;
        _frames!.Stamp(0, _shared.CorrectCoordinatedOmission ? intended : Stopwatch.GetTimestamp(), Id);
        Published(1);
        if (!Connection.Send(_frames.Frames(1))) _shared.Metrics.Errors.Add("send-failed");
        return true;
    }

    protected override void SendBurst(int count)
    {
        count = (int)Math.Min(count, Math.Min(_quota, _frames!.Capacity));
        if (count <= 0) return;
        long now = Stopwatch.GetTimestamp();
        for (int i = 0; i < count; i++) _frames.Stamp(i, now, Id);
        Published(count);
        if (!Connection.Send(_frames.Frames(count))) _shared.Metrics.Errors.Add("send-failed");
    }

    private void Published(int count)
    {
        Interlocked.Add(ref _outstanding, count);
        _quota -= count;
        Interlocked.Add(ref _shared.PublishesPerRoom[Room], count);
        _shared.Metrics.Sent.Add(count);
    }
}
