using System.Buffers;
using System.Buffers.Text;
using System.Diagnostics;
using FastRealtime.LoadGen.Measurement;
using FastRealtime.LoadGen.Net;
using FastRealtime.LoadGen.Protocols;
using FastRealtime.LoadGen.Scenarios;
using FastRealtime.Transport.WebSockets;

namespace FastRealtime.LoadGen.Chat;

/// <summary>State the chat sessions of one run share.</summary>
internal sealed class ChatShared : DriveShared
{
    public required ChatWire Wire { get; init; }
    public required int Rooms { get; init; }
    /// <summary>Send → ack, in nanoseconds (delivery latency goes to <see cref="RunMetrics.Latency"/>).</summary>
    public ShardedLatencyRecorder AckLatency { get; } = new();
    public StripedCounter Acked { get; } = new();
    /// <summary>Messages acked per room (all time), for deliveries = Σ acked(room) × (members(room) − 1).</summary>
    public required long[] AckedPerRoom { get; init; }
}

/// <summary>
/// One simulated chat user: joins its room (<c>chat:join-room</c>, waits for the ack), then sends
/// <c>chat:send-message</c> with an ack id keeping at most W unacknowledged, and receives the room's
/// <c>chat:message</c>s. The text starts with the send stamp, so delivery latency is end to end in one process.
/// </summary>
/// <remarks>
/// Acks are matched in order against the ring of send times (<see cref="InOrderSession"/>: the server handles one
/// connection's messages in order; an ack with another id is counted as <c>ack-out-of-order</c>). An
/// <c>exception</c> while messages are outstanding (rate limit, validation) refuses the oldest one: its slot is freed
/// so the window does not stall.
/// </remarks>
internal sealed class ChatSession : InOrderSession
{
    private readonly ChatShared _shared;
    private readonly int _idOffset, _stampOffset;
    private readonly byte[] _joinFrame;
    private readonly TaskCompletionSource<bool> _joined = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ChatSession(IClientConnection connection, ChatShared shared, int id, int room, string roomName, int textLength, int window, long quota)
        : this(connection, shared, id, room, roomName, shared.Wire.SendPayload(roomName, textLength, out int idOffset, out int stampOffset), idOffset, stampOffset, window, quota)
    {
    }

    private ChatSession(IClientConnection connection, ChatShared shared, int id, int room, string roomName, byte[] send, int idOffset, int stampOffset, int window, long quota)
        : base(shared, connection, new PremaskedFrames(send, WebSocketOpcode.Text, shared.Paced ? 1 : window), window, quota)
    {
        _shared = shared;
        Id = id;
        Room = room;
        _idOffset = idOffset;
        _stampOffset = stampOffset;
        _joinFrame = Sessions.SessionConnection.MaskedTextFrame(shared.Wire.JoinPayload(roomName));
    }

    public int Id { get; }
    public int Room { get; }

    /// <summary>Completes with true once the join was acknowledged, false when it was refused.</summary>
    public Task<bool> Joined => _joined.Task;

    public void Join()
    {
        if (!Connection.Send(_joinFrame)) _joined.TrySetResult(false);
    }

    public override void OnMessage(WebSocketMessageKind kind, in ReadOnlySequence<byte> payload)
    {
        long now = Stopwatch.GetTimestamp();
        ChatInbound inbound = _shared.Wire.Classify(payload);
        switch (inbound.Kind)
        {
            case ChatInboundKind.Ack when inbound.AckId == ChatWire.JoinAckId:
                _joined.TrySetResult(true);
                break;
            case ChatInboundKind.Ack:
                if (!TryTakeOldest(out long sequence, out long sentAt))
                {
                    _shared.Metrics.Errors.Add("unexpected-ack");
                    return;
                }
                if (inbound.AckId != ChatWire.SendIdBase + sequence) _shared.Metrics.Errors.Add("ack-out-of-order");
                _shared.AckLatency.Record(RunMetrics.TicksToNanoseconds(now - sentAt));
                _shared.Acked.Increment();
                Interlocked.Increment(ref _shared.AckedPerRoom[Room]);
                if (!inbound.Delivered) _shared.Metrics.Errors.Add("ack-not-delivered");
                break;
            case ChatInboundKind.Message:
                if (!inbound.HasStamp)
                {
                    _shared.Metrics.Errors.Add("unstamped-message");
                    return;
                }
                _shared.Metrics.RecordLatencyTicks(now - inbound.Stamp);
                _shared.Metrics.Received.Increment();
                if (inbound.PublisherId == Id) _shared.Metrics.Errors.Add("delivered-to-sender");
                else if (inbound.PublisherId % _shared.Rooms != Room) _shared.Metrics.Errors.Add("delivered-to-other-room");
                break;
            case ChatInboundKind.Exception:
                _shared.Metrics.Errors.Add("server-exception");
                if (!_joined.Task.IsCompleted) _joined.TrySetResult(false);
                else TryTakeOldest(out _, out _); // the refused message will never be acked
                break;
        }
    }

    // Each message carries its own ack id (SendIdBase + sequence) and stamp.
    protected override void Prepare(int index, long sequence, long stamp)
    {
        base.Prepare(index, sequence, stamp);
        Span<byte> field = stackalloc byte[StampCodec.TextLength];
        Utf8Formatter.TryFormat(ChatWire.SendIdBase + sequence, field, out _);
        Frames.Patch(index, _idOffset, field[..ChatWire.SendIdDigits]);
        StampCodec.WriteText(field, stamp, Id);
        Frames.Patch(index, _stampOffset, field);
    }
}
