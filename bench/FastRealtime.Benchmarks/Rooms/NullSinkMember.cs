using FastRealtime.Core.Buffers;
using FastRealtime.Core.Connections;
using FastRealtime.Core.Rooms;

namespace FastRealtime.Benchmarks.Rooms;

/// <summary>
/// A member whose queue sends at once: takes its reference, counts, drops it. Measures the broadcaster alone
/// (a real connection adds its own enqueue and writer scheduling).
/// </summary>
public sealed class NullSinkMember(long id, int protocolIndex) : IRoomMember
{
    public long Received;
    public long MemberId => id;
    public int ProtocolIndex => protocolIndex;
    public RoomMembership Rooms { get; } = new();

    public SendResult Send(SharedBuffer frame, bool isVolatile)
    {
        frame.AddReference();
        Received++;
        frame.Release();
        return SendResult.Queued;
    }
}

/// <summary>A 100-byte frame per protocol, from the pool.</summary>
public readonly struct HundredByteEncoder : IBroadcastEncoder
{
    public SharedBuffer Encode(int protocolIndex)
    {
        var frame = SharedBuffer.Rent(100);
        frame.Span.Fill((byte)('a' + protocolIndex));
        return frame;
    }
}
