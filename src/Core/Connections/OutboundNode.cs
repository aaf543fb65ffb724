using System.Collections.Concurrent;
using FastRealtime.Core.Buffers;

namespace FastRealtime.Core.Connections;

/// <summary>
/// One queued slice of a shared buffer, linked into a connection's outbound stack. Nodes are pooled, so queuing
/// allocates nothing after warm-up and an empty queue costs one null field.
/// </summary>
/// <remarks>
/// Each thread keeps a small free list of its own in front of the process-wide pool: a broadcast rents a node per
/// recipient on the event-loop thread and that loop's writer returns it, so the common case touches no shared
/// state — four interlocked operations per delivery fewer than a shared queue (OutboundQueueBenchmarks).
/// Threads that only rent or only return (the thread pool on the portable engine) spill over to the shared pool.
/// </remarks>
internal sealed class OutboundNode
{
    private const int MaxPooled = 64 * 1024;
    private const int MaxPerThread = 4 * 1024;
    private static readonly ConcurrentQueue<OutboundNode> s_pool = new();
    private static int s_pooled;

    [ThreadStatic]
    private static OutboundNode? t_free;
    [ThreadStatic]
    private static int t_freeCount;

    public SharedBuffer? Buffer;
    public int Offset;
    public int Length;
    public OutboundNode? Next;

    public static OutboundNode Rent(SharedBuffer buffer, int offset, int length)
    {
        var node = t_free;
        if (node is not null)
        {
            t_free = node.Next;
            t_freeCount--;
            node.Next = null;
        }
        else if (s_pool.TryDequeue(out node))
        {
            Interlocked.Decrement(ref s_pooled);
        }
        else
        {
            node = new OutboundNode();
        }
        node.Buffer = buffer;
        node.Offset = offset;
        node.Length = length;
        return node;
    }

    /// <summary>Returns the node to the pool; the caller has already dealt with the buffer reference.</summary>
    public void Return()
    {
        Buffer = null;
        if (t_freeCount < MaxPerThread)
        {
            Next = t_free;
            t_free = this;
            t_freeCount++;
            return;
        }
        Next = null;
        if (Interlocked.Increment(ref s_pooled) <= MaxPooled) s_pool.Enqueue(this);
        else Interlocked.Decrement(ref s_pooled);
    }

    /// <summary>Reverses a newest-first chain into oldest-first order.</summary>
    public static OutboundNode? Reverse(OutboundNode? node)
    {
        OutboundNode? reversed = null;
        while (node is not null)
        {
            var next = node.Next;
            node.Next = reversed;
            reversed = node;
            node = next;
        }
        return reversed;
    }
}
