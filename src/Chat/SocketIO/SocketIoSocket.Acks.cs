using System.Collections.Concurrent;
using System.Text.Json;
using FastRealtime.Core.Timing;

namespace FastRealtime.Chat.SocketIO;

public sealed partial class SocketIoSocket
{
    private ConcurrentDictionary<long, PendingAck>? _pendingAcks;
    private long _nextAckId;

    /// <summary>
    /// Emits an event and waits for the client's ack (socket.io's <c>emitWithAck</c> with <c>timeout</c>). Fails with
    /// <see cref="TimeoutException"/> when the client does not answer in time, <see cref="SocketIoDisconnectedException"/>
    /// when it leaves first.
    /// </summary>
    public Task<SocketIoAckResponse> EmitWithAck(string eventName, TimeSpan timeout, params object?[] args)
    {
        var payload = SocketIoPayload.Create(args, Namespace.Server.Options.Json);
        long ackId = Interlocked.Increment(ref _nextAckId) - 1;
        var pending = new PendingAck(this, ackId);
        var acks = _pendingAcks ?? Interlocked.CompareExchange(ref _pendingAcks, new(), null) ?? _pendingAcks;
        acks[ackId] = pending;
        Namespace.Server.TimerWheel.Schedule(pending, timeout);
        SendEvent(SocketIoPayload.QuotedName(eventName), payload.Arguments.Span, payload.Attachments, ackId, isVolatile: false);
        if (!Connected) FailPendingAcks("disconnected");
        return pending.Task;
    }

    internal void OnAck(long ackId, ReadOnlySpan<byte> data, ReadOnlySpan<ReadOnlyMemory<byte>> attachments)
    {
        if (_pendingAcks is null || !_pendingAcks.TryRemove(ackId, out var pending)) return; // late or unknown: socket.io ignores it
        Namespace.Server.TimerWheel.Cancel(pending);
        var copies = new byte[attachments.Length][];
        for (int i = 0; i < copies.Length; i++) copies[i] = attachments[i].ToArray();
        pending.Complete(new SocketIoAckResponse(JsonDocument.Parse(data.ToArray()).RootElement, copies));
    }

    private void FailPendingAcks(string reason)
    {
        if (_pendingAcks is null) return;
        foreach (var id in _pendingAcks.Keys)
        {
            if (!_pendingAcks.TryRemove(id, out var pending)) continue;
            Namespace.Server.TimerWheel.Cancel(pending);
            pending.Fail(new SocketIoDisconnectedException(reason));
        }
    }

    /// <summary>One ack the server waits for; its timeout is an entry on the shared wheel.</summary>
    private sealed class PendingAck(SocketIoSocket socket, long id) : TimerWheelEntry
    {
        private readonly TaskCompletionSource<SocketIoAckResponse> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task<SocketIoAckResponse> Task => _completion.Task;

        public void Complete(SocketIoAckResponse response) => _completion.TrySetResult(response);

        public void Fail(Exception error) => _completion.TrySetException(error);

        protected override void OnTimerExpired()
        {
            if (socket._pendingAcks?.TryRemove(id, out _) == true) Fail(new TimeoutException("operation has timed out"));
        }
    }
}

/// <summary>The client's answer to a server-to-client ack: the argument array, and binary attachments by placeholder number.</summary>
public sealed record SocketIoAckResponse(JsonElement Arguments, byte[][] Attachments);

/// <summary>The socket left before the client answered.</summary>
public sealed class SocketIoDisconnectedException(string reason) : Exception($"The socket disconnected ({reason}) before the client acknowledged.")
{
    public string Reason { get; } = reason;
}
