using FastRealtime.Core.Buffers;
using FastRealtime.Core.Connections;

namespace FastRealtime.Core.Rooms;

/// <summary>
/// Something a broadcast can reach: a Socket.IO socket, a plain WebSocket session, or a test double.
/// Core knows no protocol, so a member only says which pre-framed encoding it needs and how to enqueue it.
/// </summary>
/// <remarks>
/// Thread safety: <see cref="Send"/> is called from any thread, concurrently with other sends to the same member,
/// and must not block (enqueue only; a full queue drops or closes by the member's own policy).
/// <see cref="MemberId"/> and <see cref="ProtocolIndex"/> must not change while the member is registered.
/// </remarks>
public interface IRoomMember
{
    /// <summary>Unique per member; used for diagnostics and by callers, never for identity (identity is the reference).</summary>
    long MemberId { get; }

    /// <summary>Which wire encoding this member needs: 0 = plain WebSocket JSON, 1 = Socket.IO, ...; below <see cref="BroadcastMessage.MaxProtocols"/>.</summary>
    int ProtocolIndex { get; }

    /// <summary>Enqueues a complete, pre-framed message. The member takes its own reference when it queues the frame.</summary>
    SendResult Send(SharedBuffer frame, bool isVolatile);

    /// <summary>The member's own room list, kept by <see cref="RoomRegistry"/> so a disconnect can leave every room.</summary>
    RoomMembership Rooms { get; }
}
