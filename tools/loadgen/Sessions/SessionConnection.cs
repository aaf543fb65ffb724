using System.Buffers;
using FastRealtime.LoadGen.Net;
using FastRealtime.Transport.WebSockets;

namespace FastRealtime.LoadGen.Sessions;

/// <summary>
/// A protocol session on top of one WebSocket connection (Socket.IO, SignalR): it runs the protocol's own opening
/// (<see cref="OpenAsync"/>), answers its keep-alives, and hands the scenario's listener only the application messages.
/// To the scenario it is just another <see cref="IClientConnection"/>, so echo, broadcast and hold need no protocol code.
/// </summary>
/// <remarks>
/// Thread safety: the WebSocket connection calls <see cref="OnMessage"/>/<see cref="OnBatchEnd"/> one at a time (on an
/// event-loop thread with the epoll engine); they must not block. Application messages that arrive after the session
/// opened but before the scenario attaches its listener are copied aside and replayed by the attaching thread under
/// <see cref="_attachGate"/> (the same hand-over as the connections' own).
/// </remarks>
public abstract class SessionConnection : IClientConnection, IConnectionListener
{
    private readonly IClientConnection _inner;
    private readonly TaskCompletionSource<string?> _opened = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly object _attachGate = new();
    private IConnectionListener? _listener;
    private List<byte[]>? _early;
    private Task<ConnectionEnd>? _run;

    protected SessionConnection(IClientConnection inner) => _inner = inner;

    public ConnectionEnd End => _inner.End;

    /// <summary>
    /// Starts receiving and runs the protocol's opening. Completes with null once the session is open, or with the
    /// error-counter name of the failure (the caller aborts the connection).
    /// </summary>
    public async Task<string?> OpenAsync(bool releaseBufferWhenIdle, TimeSpan timeout, CancellationToken ct)
    {
        _run = _inner.RunAsync(this, releaseBufferWhenIdle);
        _ = _run.ContinueWith(_ => _opened.TrySetResult($"{Kind}-closed-before-open"), CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        OnTransportOpen();
        Task done = await Task.WhenAny(_opened.Task, Task.Delay(timeout, ct)).ConfigureAwait(false);
        return done == _opened.Task ? await _opened.Task.ConfigureAwait(false) : $"{Kind}-{PendingStep}-timeout";
    }

    /// <summary>Short protocol name used in error-counter names.</summary>
    protected abstract string Kind { get; }

    /// <summary>The opening step not yet answered (for the timeout's error name, e.g. "join").</summary>
    protected abstract string PendingStep { get; }

    /// <summary>Right after the WebSocket opened: send what the protocol's client says first, if anything.</summary>
    protected virtual void OnTransportOpen() { }

    /// <summary>One WebSocket message: handle the protocol's own packets, <see cref="Deliver"/> application messages.</summary>
    protected abstract void OnTransportMessage(WebSocketMessageKind kind, in ReadOnlySequence<byte> payload);

    protected bool IsOpen => _opened.Task.IsCompleted;

    /// <summary>The session's opening finished.</summary>
    protected void Opened() => _opened.TrySetResult(null);

    /// <summary>The session's opening failed with <paramref name="errorKind"/>.</summary>
    protected void Failed(string errorKind) => _opened.TrySetResult(errorKind);

    /// <summary>Hands an application message to the scenario's listener (or keeps a copy until it attaches).</summary>
    protected void Deliver(WebSocketMessageKind kind, in ReadOnlySequence<byte> payload)
    {
        IConnectionListener? listener = Volatile.Read(ref _listener);
        if (listener is null)
        {
            lock (_attachGate)
            {
                listener = _listener;
                if (listener is null)
                {
                    (_early ??= []).Add(payload.ToArray());
                    return;
                }
            }
        }
        listener.OnMessage(kind, payload);
    }

    /// <summary>A masked text frame of <paramref name="payload"/>, built once and sent as is (see <see cref="PremaskedFrames"/>
    /// on reusing a mask key).</summary>
    public static byte[] MaskedTextFrame(ReadOnlySpan<byte> payload)
    {
        var frame = new byte[WebSocketFrameWriter.GetFrameSize(payload.Length, masked: true)];
        WebSocketFrameWriter.WriteFrame(frame, WebSocketOpcode.Text, payload, fin: true, masked: true, maskKey: WebSocketMaskKeys.Next());
        return frame;
    }

    /// <summary>Sends a control reply (pong, ping) built once per run.</summary>
    protected void SendControl(ReadOnlySpan<byte> frame) => _inner.Send(frame);

    void IConnectionListener.OnMessage(WebSocketMessageKind kind, in ReadOnlySequence<byte> payload) => OnTransportMessage(kind, payload);

    void IConnectionListener.OnBatchEnd() => Volatile.Read(ref _listener)?.OnBatchEnd();

    public Task<ConnectionEnd> RunAsync(IConnectionListener listener, bool releaseBufferWhenIdle)
    {
        if (_run is null) throw new InvalidOperationException("OpenAsync first");
        lock (_attachGate)
        {
            if (_early is { Count: > 0 } early)
            {
                foreach (byte[] message in early) listener.OnMessage(WebSocketMessageKind.Text, new ReadOnlySequence<byte>(message));
                listener.OnBatchEnd();
            }
            _early = null;
            Volatile.Write(ref _listener, listener);
        }
        return _run;
    }

    public bool Send(ReadOnlySpan<byte> frames) => _inner.Send(frames);

    public Task CloseAsync() => _inner.CloseAsync();

    public void Abort() => _inner.Abort();
}
