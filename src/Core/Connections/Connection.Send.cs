using System.Buffers;
using System.Runtime.CompilerServices;
using FastRealtime.Core.Buffers;

namespace FastRealtime.Core.Connections;

public abstract partial class Connection : IThreadPoolWorkItem
{
    // Producers push onto this lock-free stack (newest first); the single writer takes the whole stack with one
    // exchange and reverses it into _ready (oldest first). An idle connection's queue is one null field.
    private OutboundNode? _pushed;
    // Writer-owned: nodes taken from the stack, in send order. Empty whenever no writer runs.
    private OutboundNode? _ready;
    private long _queuedBytes;
    // 1 while one writer owns the socket's send side; whoever flips it 0 -> 1 runs (or schedules) the writer.
    private int _sendScheduled;
    private bool _flushAfterReceive;
    // Writer-owned: the node being sent, and how much of it went out already (a message larger than one send).
    private OutboundNode? _current;
    private int _currentSent;
    private bool _sendingWholeCurrent;
    // Writer-owned: messages finished into the chunk being written, counted in the metrics once per write.
    private int _messagesInChunk;

    /// <summary>Bytes queued and not yet written to the socket.</summary>
    public long QueuedBytes => Volatile.Read(ref _queuedBytes);

    /// <summary>Queues a copy of <paramref name="bytes"/> (for replies built on the spot).</summary>
    public SendResult Send(ReadOnlySpan<byte> bytes, bool isVolatile = false)
    {
        if (IsClosed) return SendResult.Closed;
        var buffer = SharedBuffer.CopyOf(bytes);
        var result = Send(buffer, 0, bytes.Length, isVolatile);
        buffer.Release();
        return result;
    }

    /// <summary>
    /// Queues <paramref name="length"/> bytes of a shared buffer (the queue takes its own reference).
    /// Lock-free; the writer is scheduled only when none is pending.
    /// </summary>
    /// <param name="isVolatile">May be dropped when the connection is already behind (typing indicators and the like).</param>
    public SendResult Send(SharedBuffer buffer, int offset, int length, bool isVolatile = false)
    {
        ThreadDeferredSends.Flush(); // merged publishes this thread made earlier go first
        if (IsClosed) return SendResult.Closed;
        long queued = Interlocked.Add(ref _queuedBytes, length);
        if (isVolatile && queued - length > _context.Options.VolatileDropThreshold)
            return Refuse(length, SendResult.Dropped);
        if (queued > _context.Options.MaxOutboundBytes)
            return Overflow(length);

        buffer.AddReference();
        var node = OutboundNode.Rent(buffer, offset, length);
        OutboundNode? head;
        do
        {
            head = Volatile.Read(ref _pushed);
            node.Next = head;
        } while (Interlocked.CompareExchange(ref _pushed, node, head) != head);

        if (IsClosed)
        {
            // Closed while we pushed: nobody else will drain what we added.
            ReleaseQueuedItems();
            return SendResult.Closed;
        }
        ScheduleSend();
        return SendResult.Queued;
    }

    private SendResult Refuse(int length, SendResult result)
    {
        Interlocked.Add(ref _queuedBytes, -length);
        _context.Metrics.MessageDropped();
        return result;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private SendResult Overflow(int length)
    {
        if (_context.Options.OverflowPolicy == OverflowPolicy.DropMessage)
            return Refuse(length, SendResult.Dropped);
        Interlocked.Add(ref _queuedBytes, -length);
        _context.Metrics.OverflowClose();
        Abort(ConnectionEndReason.OutboundOverflow);
        return SendResult.Closed;
    }

    private void ScheduleSend()
    {
        // The plain read first: while a writer is pending (a burst of broadcasts), skip the locked operation. Safe
        // because the push above was a full fence and the writer re-checks the stack after releasing the flag.
        if (Volatile.Read(ref _sendScheduled) != 0 || Interlocked.CompareExchange(ref _sendScheduled, 1, 0) != 0) return;
        if (t_receiving == this)
            _flushAfterReceive = true; // the receive loop flushes once its batch is processed
        else
            ScheduleWriter();
    }

    /// <summary>Runs the writer (<see cref="RunWriter"/>) soon, on a thread that may make socket calls.</summary>
    private protected virtual void ScheduleWriter() => ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);

    private protected void RunWriter() => _ = SendLoopAsync();

    private void FlushDeferredSends()
    {
        if (!_flushAfterReceive) return;
        _flushAfterReceive = false;
        _ = SendLoopAsync();
    }

    void IThreadPoolWorkItem.Execute() => _ = SendLoopAsync();

    /// <summary>The single writer: gathers queued frames into one buffer and writes them with one syscall.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask SendLoopAsync()
    {
        byte[] gather = ArrayPool<byte>.Shared.Rent(_context.Options.SendCoalesceBytes);
        try
        {
            while (!IsClosed)
            {
                ReadOnlyMemory<byte> chunk = NextChunk(gather);
                if (chunk.IsEmpty)
                {
                    // Release ownership, then look again: a producer may have pushed after our last look but
                    // before the release, and it did not schedule a writer because we still held the flag.
                    // The exchange is a full fence: a Close() racing with this release sees either the flag
                    // still held (and leaves the FIN to us) or released (and sends it itself).
                    Interlocked.Exchange(ref _sendScheduled, 0);
                    if (Volatile.Read(ref _pushed) is null || Interlocked.CompareExchange(ref _sendScheduled, 1, 0) != 0)
                    {
                        if (IsClosing && !IsClosed && IsOutboundIdle()) SendFin();
                        return;
                    }
                    continue;
                }

                SocketOperationResult result;
                try
                {
                    result = await SendCoreAsync(chunk);
                }
                catch (ObjectDisposedException)
                {
                    break; // aborted from another thread
                }
                if (result.HasError)
                {
                    EndFromSocketError(result.Error);
                    break;
                }
                CompleteChunk(chunk.Length);
            }
            // Closed: what this writer still holds is released here; the pushed stack by ReleaseQueuedItems.
            ReleaseWriterItems();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(gather);
        }
    }

    /// <summary>Writes all of <paramref name="data"/> (waiting for the socket to drain as needed); one call at a time.</summary>
    private protected abstract ValueTask<SocketOperationResult> SendCoreAsync(ReadOnlyMemory<byte> data);

    // Either a large node's bytes straight from its shared buffer (no copy), or many small nodes copied into the
    // gather buffer so they leave in one write.
    private ReadOnlyMemory<byte> NextChunk(byte[] gather)
    {
        if (_current is null && (_current = TakeNext()) is null) return default;
        if (_currentSent == 0 && _current.Length >= gather.Length)
        {
            _sendingWholeCurrent = true;
            return _current.Buffer!.Memory.Slice(_current.Offset, _current.Length);
        }

        int filled = 0;
        while (true)
        {
            int remaining = _current.Length - _currentSent;
            int count = Math.Min(remaining, gather.Length - filled);
            _current.Buffer!.Array.AsSpan(_current.Offset + _currentSent, count).CopyTo(gather.AsSpan(filled));
            filled += count;
            if (count < remaining)
            {
                _currentSent += count;
                break;
            }
            FinishCurrent();
            if (filled == gather.Length || (_current = TakeNext()) is null) break;
            if (_current.Length >= gather.Length) break; // a large node goes out on its own next time, uncopied
        }
        return gather.AsMemory(0, filled);
    }

    private OutboundNode? TakeNext()
    {
        if (_ready is null)
        {
            if (Volatile.Read(ref _pushed) is null) return null;
            _ready = OutboundNode.Reverse(Interlocked.Exchange(ref _pushed, null));
        }
        var node = _ready;
        _ready = node?.Next;
        return node;
    }

    private void FinishCurrent()
    {
        var node = _current!;
        _current = null;
        _currentSent = 0;
        var buffer = node.Buffer!;
        _messagesInChunk += node.Offset == 0 && node.Length == buffer.Length ? buffer.MessageCount : 1;
        buffer.Release();
        node.Return();
    }

    private void CompleteChunk(int length)
    {
        if (_sendingWholeCurrent)
        {
            _sendingWholeCurrent = false;
            FinishCurrent();
        }
        Interlocked.Add(ref _queuedBytes, -length);
        _context.Metrics.BytesOut(length);
        if (_messagesInChunk != 0)
        {
            _context.Metrics.MessagesOut(_messagesInChunk);
            _messagesInChunk = 0;
        }
    }

    private void ReleaseWriterItems()
    {
        _messagesInChunk = 0; // copied but never written
        if (_current is { } current)
        {
            Interlocked.Add(ref _queuedBytes, -(current.Length - _currentSent));
            _current = null;
            _currentSent = 0;
            _sendingWholeCurrent = false;
            current.Buffer!.Release();
            current.Return();
        }
        ReleaseChain(ref _ready);
    }

    private void ReleaseChain(ref OutboundNode? chain)
    {
        var node = chain;
        chain = null;
        while (node is not null)
        {
            var next = node.Next;
            Interlocked.Add(ref _queuedBytes, -node.Length);
            node.Buffer!.Release();
            node.Return();
            node = next;
        }
    }

    private bool IsOutboundIdle() => Volatile.Read(ref _queuedBytes) == 0 && Volatile.Read(ref _sendScheduled) == 0;

    /// <summary>Releases everything pushed but not taken by a writer (on close, from any thread).</summary>
    private void ReleaseQueuedItems()
    {
        var taken = Interlocked.Exchange(ref _pushed, null);
        ReleaseChain(ref taken);
    }
}
