using FastRealtime.Core.Buffers;
using FastRealtime.Core.Connections;

namespace FastRealtime.Core.Rooms;

/// <summary>
/// Consecutive publishes to one room made while one connection's received bytes are handled, merged into one buffer:
/// each member then queues one entry, and its writer copies one slice, for the whole run instead of one per message.
/// uWebSockets merges its pub/sub messages the same way. At a 1,000-member fan-out the per-member, per-message queue
/// work was a third of the server's CPU (docs/BENCHMARKS.md, "Where the time goes").
/// </summary>
/// <remarks>
/// One per thread. The merged messages reach the queues when the receive batch ends, or earlier when this thread sends
/// anything else, publishes elsewhere or changes a membership (<see cref="ThreadDeferredSends"/>), so no connection
/// sees its messages in another order than the thread produced them.
/// </remarks>
internal sealed class PublishBatch
{
    /// <summary>
    /// The merged buffer's size. A member's writer gathers up to 16 KiB per write (ConnectionOptions.SendCoalesceBytes),
    /// so a batch no larger still goes out in one write; a message larger than half of it is published on its own.
    /// </summary>
    public const int MaxBytes = 16 * 1024;

    [ThreadStatic]
    private static PublishBatch? t_batch;

    private static readonly Action s_flush = static () => t_batch!.Flush();

    private RoomRegistry? _registry;
    private string? _room;
    private bool _isVolatile;
    private SharedBuffer? _bytes;
    private int _length;
    private int _messages;

    /// <summary>Adds one framed message for <paramref name="room"/>; takes over the caller's reference to <paramref name="frame"/>.</summary>
    public static void Add(RoomRegistry registry, string room, bool isVolatile, SharedBuffer frame)
    {
        var batch = t_batch ??= new PublishBatch();
        try
        {
            if (batch._bytes is not null && !batch.Continues(registry, room, isVolatile, frame.Length))
                ThreadDeferredSends.Flush();
            if (frame.Length > MaxBytes / 2)
            {
                registry.DeliverToRoom(room, frame, isVolatile); // a broadcast: flushes what is pending first
                return;
            }
            if (batch._bytes is null) batch.Start(registry, room, isVolatile);
            frame.Span.CopyTo(batch._bytes!.Span[batch._length..]);
            batch._length += frame.Length;
            batch._messages++;
        }
        finally
        {
            frame.Release();
        }
    }

    private bool Continues(RoomRegistry registry, string room, bool isVolatile, int length) =>
        ReferenceEquals(_registry, registry) && string.Equals(_room, room, StringComparison.Ordinal) &&
        _isVolatile == isVolatile && _length + length <= MaxBytes;

    private void Start(RoomRegistry registry, string room, bool isVolatile)
    {
        _registry = registry;
        _room = room;
        _isVolatile = isVolatile;
        _bytes = SharedBuffer.Rent(MaxBytes);
        _length = 0;
        _messages = 0;
        ThreadDeferredSends.Defer(s_flush);
    }

    private void Flush()
    {
        var bytes = _bytes;
        if (bytes is null) return;
        var registry = _registry!;
        var room = _room!;
        bool isVolatile = _isVolatile;
        bytes.Truncate(_length);
        bytes.MessageCount = _messages;
        _bytes = null;
        _registry = null;
        _room = null;
        try
        {
            registry.DeliverToRoom(room, bytes, isVolatile);
        }
        finally
        {
            bytes.Release();
        }
    }
}
