using System.Runtime.CompilerServices;

namespace FastRealtime.Core.Connections;

/// <summary>
/// Sends a thread has put off in order to merge them (<see cref="Rooms.RoomRegistry.Publish{TEncoder}"/>). Anything
/// else the thread queues first flushes them, and so does the end of the receive batch that allowed the merge, so
/// every connection still gets its messages in the order the thread produced them.
/// </summary>
internal static class ThreadDeferredSends
{
    [ThreadStatic]
    private static Action? t_flush;

    /// <summary>Registers the flush of what this thread holds back; one holder at a time.</summary>
    public static void Defer(Action flush) => t_flush = flush;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Flush()
    {
        if (t_flush is not null) FlushNow();
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void FlushNow()
    {
        var flush = t_flush!;
        t_flush = null; // before running: the flush's own sends must not flush again
        flush();
    }
}
