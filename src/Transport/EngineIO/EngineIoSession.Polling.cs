using System.Buffers;
using FastRealtime.Core.Buffers;
using FastRealtime.Core.Connections;
using FastRealtime.Transport.Server;

namespace FastRealtime.Transport.EngineIO;

public sealed partial class EngineIoSession
{
    private static readonly ReadOnlyMemory<byte> s_noopBody = "6"u8.ToArray();
    private static readonly ReadOnlyMemory<byte> s_closeBody = "1"u8.ToArray();
    private static readonly ReadOnlyMemory<byte> s_okBody = "ok"u8.ToArray();

    // Guarded by _sync.
    private readonly Queue<SharedBuffer> _outbox = new();
    private TaskCompletionSource<ReadOnlyMemory<byte>>? _poll;
    private bool _posting;
    private bool _closePacketPending;

    /// <summary>Queues a long-polling segment, answering the waiting poll if there is one. Consumes the caller's reference.</summary>
    private SendResult EnqueueLockedAndRelease(SharedBuffer segment, bool isVolatile)
    {
        if (IsClosed)
        {
            segment.Release();
            return SendResult.Closed;
        }
        if (_outbox.Count >= _options.MaxBufferedPackets)
        {
            segment.Release();
            if (isVolatile) return SendResult.Dropped;
            // Closed off this thread: the caller may hold another session's lock, and Close takes the receive lock.
            ThreadPool.UnsafeQueueUserWorkItem(static s => s.Close("too many buffered packets"), this, preferLocal: false);
            return SendResult.Closed;
        }
        _outbox.Enqueue(segment);
        if (_poll is { } poll)
        {
            _poll = null;
            poll.TrySetResult(DrainLocked());
        }
        return SendResult.Queued;
    }

    /// <summary>Joins every queued segment with the record separator into one response body.</summary>
    private byte[] DrainLocked()
    {
        int size = -1;
        foreach (var segment in _outbox) size += 1 + segment.Length;
        var body = new byte[size];
        int at = 0;
        while (_outbox.TryDequeue(out var segment))
        {
            if (at > 0) body[at++] = EngineIoWire.RecordSeparator;
            segment.Span.CopyTo(body.AsSpan(at));
            at += segment.Length;
            segment.Release();
        }
        return body;
    }

    private void ClosePollingLocked()
    {
        while (_outbox.TryDequeue(out var segment)) segment.Release();
        if (_poll is { } poll)
        {
            _poll = null;
            poll.TrySetResult(s_closeBody); // a waiting poll learns of the close at once
        }
    }

    /// <summary>GET: answers at once with what is queued, else waits (until a packet; the heartbeat bounds the wait).</summary>
    internal async ValueTask<HttpResponse> PollAsync()
    {
        Task<ReadOnlyMemory<byte>> waiting;
        lock (_sync)
        {
            if (IsClosed)
            {
                if (!_closePacketPending) return EngineIoError.UnknownSid.ToResponse();
                _closePacketPending = false;
                _server.Forget(this);
                return PollingResponse(s_closeBody);
            }
            if (_webSocket is not null) return EngineIoError.BadRequest.ToResponse();
            if (_poll is not null)
            {
                // engine.io: "overlap from client" — one outstanding GET per session.
                ThreadPool.UnsafeQueueUserWorkItem(static s => s.Close("overlap from client"), this, preferLocal: false);
                return EngineIoError.BadRequest.ToResponse();
            }
            if (_outbox.Count > 0) return PollingResponse(DrainLocked());
            // Upgrading: the client waits for this poll to end before it switches, so end it now.
            if (_upgrading) return PollingResponse(s_noopBody);
            var poll = new TaskCompletionSource<ReadOnlyMemory<byte>>(TaskCreationOptions.RunContinuationsAsynchronously);
            _poll = poll;
            waiting = poll.Task;
        }
        return PollingResponse(await waiting.ConfigureAwait(false));
    }

    private static HttpResponse PollingResponse(ReadOnlyMemory<byte> body) => new(200, body, "text/plain; charset=UTF-8");

    /// <summary>Ends a waiting poll with a noop (the upgrade asks for it).</summary>
    private void EndPollLocked()
    {
        if (_poll is not { } poll) return;
        _poll = null;
        poll.TrySetResult(_outbox.Count > 0 ? DrainLocked() : s_noopBody);
    }

    /// <summary>POST: the client's packets. One at a time per session; the body is bounded by maxPayload.</summary>
    internal HttpResponse Receive(ReadOnlySpan<byte> body)
    {
        lock (_sync)
        {
            if (IsClosed) return EngineIoError.UnknownSid.ToResponse();
            if (_webSocket is not null) return EngineIoError.BadRequest.ToResponse();
            if (_posting)
            {
                ThreadPool.UnsafeQueueUserWorkItem(static s => s.Close("data request overlap from client"), this, preferLocal: false);
                return EngineIoError.BadRequest.ToResponse();
            }
            _posting = true;
        }
        byte[]? scratch = null;
        try
        {
            if (body.Length > _options.MaxPayload)
            {
                Close("payload too large");
                return new HttpResponse(413, ReadOnlyMemory<byte>.Empty);
            }
            scratch = ArrayPool<byte>.Shared.Rent(PollingPayloadReader.MaxDecodedLength(body.Length));
            var reader = new PollingPayloadReader(body);
            while (true)
            {
                var status = reader.TryRead(scratch, out var type, out var data, out bool isBinary);
                if (status == PollingPacketStatus.End) break;
                if (status == PollingPacketStatus.Malformed || type is EngineIoPacketType.Open or EngineIoPacketType.Upgrade)
                {
                    Close("parse error");
                    return EngineIoError.BadRequest.ToResponse();
                }
                OnPacket(type, data, isBinary);
            }
            return new HttpResponse(200, s_okBody, "text/html");
        }
        finally
        {
            if (scratch is not null) ArrayPool<byte>.Shared.Return(scratch);
            lock (_sync) _posting = false;
        }
    }
}
