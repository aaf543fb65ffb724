using System.Collections.Concurrent;
using FastRealtime.Core.Buffers;

namespace FastRealtime.Core.Connections;

/// <summary>
/// One queued slice of a shared buffer, linked into a connection's outbound stack. Nodes are pooled process-wide,
/// so queuing allocates nothing after warm-up and an empty queue costs one null field.
/// </summary>
internal sealed class OutboundNode
{
    private const int MaxPooled = 64 * 1024;
    private static readonly ConcurrentQueue<OutboundNode> s_pool = new();
    private static int s_pooled;

    public SharedBuffer? Buffer;
    public int Offset;
    public int Length;
    public OutboundNode? Next;

    public static OutboundNode Rent(SharedBuffer buffer, int offset, int length)
    {
        if (s_pool.TryDequeue(out var node)) Interlocked.Decrement(ref s_pooled);
        else node = new OutboundNode();
        node.Buffer = buffer;
        node.Offset = offset;
        node.Length = length;
        return node;
    }

    /// <summary>Returns the node to the pool; the caller has already dealt with the buffer reference.</summary>
    public void Return()
    {
        Buffer = null;
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
