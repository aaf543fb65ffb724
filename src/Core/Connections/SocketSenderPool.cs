using System.Collections.Concurrent;

namespace FastRealtime.Core.Connections;

/// <summary>
/// Send event args are rented only while a connection is sending, so an idle connection holds none
/// (the same reasoning as Kestrel's SocketSenderPool). Bounded: extra returns are disposed.
/// </summary>
internal static class SocketSenderPool
{
    private const int MaxRetained = 1024;
    private static readonly ConcurrentQueue<SocketAwaitableEventArgs> s_pool = new();
    private static int s_count;

    public static SocketAwaitableEventArgs Rent()
    {
        if (s_pool.TryDequeue(out var args))
        {
            Interlocked.Decrement(ref s_count);
            return args;
        }
        return new SocketAwaitableEventArgs();
    }

    public static void Return(SocketAwaitableEventArgs args)
    {
        args.SetBuffer(Memory<byte>.Empty);
        if (Interlocked.Increment(ref s_count) <= MaxRetained)
        {
            s_pool.Enqueue(args);
            return;
        }
        Interlocked.Decrement(ref s_count);
        args.Dispose();
    }
}
