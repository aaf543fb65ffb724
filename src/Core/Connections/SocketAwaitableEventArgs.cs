using System.Net.Sockets;
using System.Threading.Tasks.Sources;

namespace FastRealtime.Core.Connections;

/// <summary>
/// A reusable <see cref="SocketAsyncEventArgs"/> that is awaited as a <see cref="ValueTask{TResult}"/>:
/// no allocation per operation, no execution-context flow, errors returned as values.
/// </summary>
/// <remarks>
/// One operation at a time per instance (the owner guarantees it: the accept loop, or one connection's writer).
/// Continuations run where the socket engine completes the operation; with inline completions that is the
/// epoll thread itself, which avoids a thread-pool hop per message.
/// </remarks>
internal sealed class SocketAwaitableEventArgs : SocketAsyncEventArgs, IValueTaskSource<SocketOperationResult>
{
    private ManualResetValueTaskSourceCore<SocketOperationResult> _source;

    public SocketAwaitableEventArgs() : base(unsafeSuppressExecutionContextFlow: true)
    {
        _source.RunContinuationsAsynchronously = false;
    }

    public ValueTask<SocketOperationResult> SendAsync(Socket socket, ReadOnlyMemory<byte> buffer)
    {
        SetBuffer(System.Runtime.InteropServices.MemoryMarshal.AsMemory(buffer));
        if (socket.SendAsync(this)) return Pending();
        return new ValueTask<SocketOperationResult>(new SocketOperationResult(BytesTransferred, SocketError));
    }

    public ValueTask<SocketOperationResult> AcceptAsync(Socket listener)
    {
        AcceptSocket = null;
        if (listener.AcceptAsync(this)) return Pending();
        return new ValueTask<SocketOperationResult>(new SocketOperationResult(0, SocketError));
    }

    private ValueTask<SocketOperationResult> Pending() => new(this, _source.Version);

    protected override void OnCompleted(SocketAsyncEventArgs e) =>
        _source.SetResult(new SocketOperationResult(BytesTransferred, SocketError));

    SocketOperationResult IValueTaskSource<SocketOperationResult>.GetResult(short token)
    {
        try
        {
            return _source.GetResult(token);
        }
        finally
        {
            _source.Reset();
        }
    }

    ValueTaskSourceStatus IValueTaskSource<SocketOperationResult>.GetStatus(short token) => _source.GetStatus(token);

    void IValueTaskSource<SocketOperationResult>.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _source.OnCompleted(continuation, state, token, flags & ~ValueTaskSourceOnCompletedFlags.FlowExecutionContext);
}
