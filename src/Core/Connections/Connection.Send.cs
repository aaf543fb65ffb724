using System.Buffers;
using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using FastRealtime.Core.Buffers;

namespace FastRealtime.Core.Connections;

public sealed partial class Connection : IThreadPoolWorkItem
{
    // Created on the first send: a connection that never sends holds no queue.
    private ConcurrentQueue<OutboundItem>? _outbound;
    private long _queuedBytes;
    // 1 while one writer owns the socket's send side; whoever flips it 0 -> 1 runs (or schedules) the writer.
    private int _sendScheduled;
    private bool _flushAfterReceive;
    // The item the writer is part-way through (a message larger than one coalesced send).
    private OutboundItem _partial;
    private int _partialSent;
    private bool _sendingWholeItem;
    private TaskCompletionSource? _drained;

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
        if (IsClosed) return SendResult.Closed;
        long queued = Interlocked.Add(ref _queuedBytes, length);
        if (isVolatile && queued - length > _options.VolatileDropThreshold)
            return Refuse(length, SendResult.Dropped);
        if (queued > _options.MaxOutboundBytes)
            return Overflow(length);

        buffer.AddReference();
        var queue = _outbound ?? CreateQueue();
        queue.Enqueue(new OutboundItem(buffer, offset, length));
        if (IsClosed)
        {
            // Closed while we enqueued: nobody else will drain what we added.
            ReleaseQueuedItems();
            return SendResult.Closed;
        }
        ScheduleSend();
        return SendResult.Queued;
    }

    private SendResult Refuse(int length, SendResult result)
    {
        Interlocked.Add(ref _queuedBytes, -length);
        _metrics.MessageDropped();
        return result;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private SendResult Overflow(int length)
    {
        if (_options.OverflowPolicy == OverflowPolicy.DropMessage)
            return Refuse(length, SendResult.Dropped);
        Interlocked.Add(ref _queuedBytes, -length);
        _metrics.OverflowClose();
        Abort(ConnectionEndReason.OutboundOverflow);
        return SendResult.Closed;
    }

    private ConcurrentQueue<OutboundItem> CreateQueue()
    {
        Interlocked.CompareExchange(ref _outbound, new ConcurrentQueue<OutboundItem>(), null);
        return _outbound!;
    }

    private void ScheduleSend()
    {
        if (Interlocked.CompareExchange(ref _sendScheduled, 1, 0) != 0) return;
        if (t_receiving == this)
            _flushAfterReceive = true; // the receive loop flushes once its batch is processed
        else
            ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
    }

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
        var args = SocketSenderPool.Rent();
        byte[] gather = ArrayPool<byte>.Shared.Rent(_options.SendCoalesceBytes);
        try
        {
            while (!IsClosed)
            {
                ReadOnlyMemory<byte> chunk = NextChunk(gather);
                if (chunk.IsEmpty)
                {
                    // Release ownership, then look again: a producer may have enqueued after our last look
                    // but before the release, and it did not schedule a writer because we held the flag.
                    Volatile.Write(ref _sendScheduled, 0);
                    if (_outbound is not { IsEmpty: false } || Interlocked.CompareExchange(ref _sendScheduled, 1, 0) != 0)
                    {
                        SignalDrainedIfIdle();
                        return;
                    }
                    continue;
                }

                SocketOperationResult result;
                try
                {
                    result = await args.SendAsync(_socket, chunk);
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
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(gather);
            SocketSenderPool.Return(args);
            if (IsClosed && _partial.Buffer is { } unsent)
            {
                Interlocked.Add(ref _queuedBytes, -(_partial.Length - _partialSent));
                _partial = default;
                _partialSent = 0;
                _sendingWholeItem = false;
                unsent.Release();
            }
        }
        SignalDrainedIfIdle();
    }

    // Either a large item's next slice straight from its shared buffer (no copy), or many small items copied
    // into the gather buffer so they leave in one write.
    private ReadOnlyMemory<byte> NextChunk(byte[] gather)
    {
        if (_partial.Buffer is null && !TryTakeNext(out _partial)) return default;
        if (_partialSent == 0 && _partial.Length >= gather.Length)
        {
            _sendingWholeItem = true;
            return _partial.Buffer!.Memory.Slice(_partial.Offset, _partial.Length);
        }

        int filled = 0;
        while (true)
        {
            int remaining = _partial.Length - _partialSent;
            int count = Math.Min(remaining, gather.Length - filled);
            _partial.Buffer!.Array.AsSpan(_partial.Offset + _partialSent, count).CopyTo(gather.AsSpan(filled));
            filled += count;
            if (count < remaining)
            {
                _partialSent += count;
                break;
            }
            FinishPartial();
            if (filled == gather.Length || !TryTakeNext(out _partial)) break;
            // A large item goes out on its own next time, without a copy.
            if (_partial.Length >= gather.Length) break;
        }
        return gather.AsMemory(0, filled);
    }

    private bool TryTakeNext(out OutboundItem item)
    {
        if (_outbound is { } queue && queue.TryDequeue(out item)) return true;
        item = default;
        return false;
    }

    private void FinishPartial()
    {
        _partial.Buffer!.Release();
        _partial = default;
        _partialSent = 0;
        _metrics.MessagesOut();
    }

    private void CompleteChunk(int length)
    {
        if (_sendingWholeItem)
        {
            _sendingWholeItem = false;
            FinishPartial();
        }
        Interlocked.Add(ref _queuedBytes, -length);
        _metrics.BytesOut(length);
    }

    /// <summary>Waits until everything queued so far has been written, or the timeout passes.</summary>
    internal Task WaitForDrainAsync(TimeSpan timeout)
    {
        if (IsIdle()) return Task.CompletedTask;
        var drained = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Volatile.Write(ref _drained, drained);
        if (IsIdle()) drained.TrySetResult();
        return Task.WhenAny(drained.Task, Task.Delay(timeout));
    }

    private bool IsIdle() => Volatile.Read(ref _queuedBytes) == 0 && Volatile.Read(ref _sendScheduled) == 0;

    private void SignalDrainedIfIdle()
    {
        if (Volatile.Read(ref _drained) is { } drained && (IsIdle() || IsClosed)) drained.TrySetResult();
    }

    private void ReleaseQueuedItems()
    {
        if (_outbound is { } queue)
        {
            while (queue.TryDequeue(out var item))
            {
                Interlocked.Add(ref _queuedBytes, -item.Length);
                item.Buffer.Release();
            }
        }
        SignalDrainedIfIdle();
    }
}
