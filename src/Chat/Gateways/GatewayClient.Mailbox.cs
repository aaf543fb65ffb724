using System.Buffers;
using Microsoft.Extensions.Logging;

namespace FastRealtime.Chat.Gateways;

public sealed partial class GatewayClient
{
    // The messages of one client are handled in order. The synchronous fast path runs on the receive path with no
    // queue at all; only when a handler (or the connection step) goes asynchronous does the client become busy, and
    // later messages are copied here until the pending work completes. Only the receive path sets _busy, and only
    // the drain clears it (under the lock, as its last act), so at most one drain runs per client.
    private readonly Lock _mailboxLock = new();
    private Queue<PendingWork>? _pending;
    private int _pendingBytes;
    private bool _busy;
    private IGatewayInbound? _inbound;

    internal void AttachInbound(IGatewayInbound inbound) => _inbound = inbound;

    /// <summary>Receive path: one complete message. Runs it now, or queues it behind the client's pending work.</summary>
    internal void Deliver(ReadOnlySpan<byte> message, bool isBinary, InboundExtras extras = default)
    {
        if (!_rateLimiter.TryTake())
        {
            GatewayExceptionReply.Send(this, null, default, default, "Too many messages: the rate limit is exceeded");
            return;
        }
        lock (_mailboxLock)
        {
            if (_busy)
            {
                Enqueue(message, isBinary, extras);
                return;
            }
        }
        Run(_inbound!.ProcessMessage(this, message, isBinary, extras));
    }

    /// <summary>Receive path: work that must finish before the client's next message (the connection step).</summary>
    internal void RunInOrder(ValueTask work)
    {
        lock (_mailboxLock)
        {
            if (_busy) throw new InvalidOperationException("RunInOrder is for the first work of a client.");
        }
        Run(work);
    }

    /// <summary>Receive path, last call: the disconnect hooks run after every message received before it.</summary>
    internal void DeliverDisconnect()
    {
        lock (_mailboxLock)
        {
            if (_busy)
            {
                (_pending ??= new Queue<PendingWork>()).Enqueue(new PendingWork(null, 0, isBinary: false, isDisconnect: true, default));
                return;
            }
        }
        Run(Namespace.RunDisconnectHooks(this));
    }

    private void Enqueue(ReadOnlySpan<byte> message, bool isBinary, InboundExtras extras)
    {
        var options = Namespace.Options;
        if (_pending is { } queue && (queue.Count >= options.MaxPendingMessages || _pendingBytes + message.Length > options.MaxPendingBytes))
        {
            GatewayExceptionReply.Send(this, null, default, default, "Too many pending messages: wait for the replies");
            return;
        }
        var copy = ArrayPool<byte>.Shared.Rent(Math.Max(message.Length, 1));
        message.CopyTo(copy);
        _pendingBytes += message.Length;
        (_pending ??= new Queue<PendingWork>()).Enqueue(new PendingWork(copy, message.Length, isBinary, isDisconnect: false, extras));
    }

    private void Run(ValueTask work)
    {
        if (work.IsCompleted)
        {
            Observe(work);
            return;
        }
        lock (_mailboxLock) _busy = true;
        _ = DrainAfterAsync(work);
    }

    private async Task DrainAfterAsync(ValueTask work)
    {
        while (true)
        {
            try
            {
                await work.ConfigureAwait(false);
            }
            catch (Exception e)
            {
                // Handlers answer their own failures; reaching here is a bug in the pipeline, not the client's fault.
                Namespace.Logger.LogError(e, "Gateway pipeline failed for {Client}", this);
            }

            PendingWork next;
            lock (_mailboxLock)
            {
                if (_pending is null || !_pending.TryDequeue(out next))
                {
                    _busy = false;
                    return;
                }
                _pendingBytes -= next.Length;
            }
            work = RunPending(next);
        }
    }

    private ValueTask RunPending(PendingWork item)
    {
        if (item.IsDisconnect) return Namespace.RunDisconnectHooks(this);
        try
        {
            // The message is used synchronously only (anything that goes async copies what it keeps).
            return _inbound!.ProcessMessage(this, item.Buffer.AsSpan(0, item.Length), item.IsBinary, item.Extras);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(item.Buffer!);
        }
    }

    private void Observe(ValueTask completed)
    {
        try
        {
            completed.GetAwaiter().GetResult();
        }
        catch (Exception e)
        {
            Namespace.Logger.LogError(e, "Gateway pipeline failed for {Client}", this);
        }
    }

    private readonly struct PendingWork(byte[]? buffer, int length, bool isBinary, bool isDisconnect, InboundExtras extras)
    {
        public InboundExtras Extras { get; } = extras;
        public byte[]? Buffer { get; } = buffer;
        public int Length { get; } = length;
        public bool IsBinary { get; } = isBinary;
        public bool IsDisconnect { get; } = isDisconnect;
    }
}

/// <summary>The protocol side of a client: turns one received message into gateway dispatch (plain-WS JSON, Socket.IO, ...).</summary>
internal interface IGatewayInbound
{
    /// <summary>Handles one message; <paramref name="message"/> is valid only during the call. Never throws.</summary>
    ValueTask ProcessMessage(GatewayClient client, ReadOnlySpan<byte> message, bool isBinary, InboundExtras extras);
}

/// <summary>
/// What a protocol passes beside a message's bytes when they are not self-contained (Socket.IO: the packet header's
/// ack id and the binary attachments, owned arrays that may wait in the client's queue). Read only by the protocol
/// that built it; plain WebSocket passes <c>default</c>.
/// </summary>
internal readonly struct InboundExtras(long ackId, ReadOnlyMemory<byte>[]? attachments)
{
    /// <summary>The ack id, or -1.</summary>
    public long AckId { get; } = ackId;

    public ReadOnlyMemory<byte>[]? Attachments { get; } = attachments;
}
