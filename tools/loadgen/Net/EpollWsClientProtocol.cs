using System.Buffers;
using FastRealtime.Core.Connections;
using FastRealtime.Transport.WebSockets;
using FastRealtime.LoadGen.Measurement;

namespace FastRealtime.LoadGen.Net;

/// <summary>
/// One client WebSocket connection on the epoll engine (<see cref="FastRealtime.Core.Epoll.EpollClient"/>): the
/// opening handshake, then the client-role frame reader, driven by synchronous callbacks on an event-loop thread.
/// Every ready connection of a loop is read in one batch, its messages go straight to the scenario's listener, and the
/// replies the listener sends meanwhile leave with one send() per connection after the batch: no task, no thread-pool
/// wake-up and no buffer of its own per message.
/// </summary>
/// <remarks>
/// States: Connecting (TCP) → Handshaking (request sent, response head awaited) → Open. The connector waits on
/// <see cref="Handshake"/>, and gives up on it with <see cref="Abandon"/>.
/// Thread safety: OnData, OnClosed and the listener's calls never overlap (the core's contract). Messages that arrive
/// before <see cref="RunAsync"/> attaches a listener are copied aside (<see cref="EarlyMessages"/>) and replayed by
/// the attaching thread under <see cref="_attachGate"/>, which OnData takes only while no listener is attached.
/// </remarks>
public sealed class EpollWsClientProtocol : IConnectionHandler, IConnectionProtocol, IClientConnection, IWsFrameTarget
{
    private static readonly TimeSpan CloseTimeout = TimeSpan.FromSeconds(1);

    private const int Connecting = 0, Handshaking = 1, Open = 2;

    private readonly ClientHandshake _handshake;
    private readonly WebSocketFrameReader _reader;
    private readonly TaskCompletionSource<string?> _handshakeDone = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<ConnectionEnd> _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly object _attachGate = new();
    private Connection? _connection;
    private IConnectionListener _listener = new EarlyMessages();
    private PendingPong? _pong;
    private int _state;      // receive path only
    private int _end;        // ConnectionEnd, first reason wins
    private int _abandoned;

    public EpollWsClientProtocol(ClientHandshake handshake, int maxMessageSize)
    {
        _handshake = handshake;
        _reader = new WebSocketFrameReader(WebSocketRole.Client, new WebSocketLimits { MaxMessageSize = maxMessageSize, MaxFrameSize = maxMessageSize });
    }

    /// <summary>Completes with null once the server accepted the upgrade, or with the failure's name.</summary>
    public Task<string?> Handshake => _handshakeDone.Task;

    public ConnectionEnd End => (ConnectionEnd)Volatile.Read(ref _end);

    /// <summary>The connector stopped waiting (timeout, cancellation): the connection, now or once connected, is dropped.</summary>
    public void Abandon()
    {
        Interlocked.Exchange(ref _abandoned, 1);
        _handshakeDone.TrySetResult("abandoned");
        Volatile.Read(ref _connection)?.Abort(ConnectionEndReason.LocalClosed);
    }

    void IConnectionHandler.OnConnected(Connection connection)
    {
        connection.Protocol = this;
        Interlocked.Exchange(ref _connection, connection);
        if (Volatile.Read(ref _abandoned) != 0)
        {
            connection.Abort(ConnectionEndReason.LocalClosed);
            return;
        }
        _state = Handshaking;
        connection.Send(_handshake.Request.Span);
    }

    public void OnData(Connection connection, ref ReadOnlySequence<byte> buffer)
    {
        using var read = ReceiveClock.ReadStarted();
        if (_state == Handshaking)
        {
            HandshakeStatus status = _handshake.TryAccept(ref buffer, out string? failure);
            if (status == HandshakeStatus.Incomplete) return;
            if (status == HandshakeStatus.Failed || !_handshakeDone.TrySetResult(null))
            {
                _handshakeDone.TrySetResult(failure);
                connection.Abort(ConnectionEndReason.ProtocolError);
                return;
            }
            _state = Open;
        }
        if (_state != Open || buffer.IsEmpty) return;

        IConnectionListener listener = Volatile.Read(ref _listener);
        if (listener is EarlyMessages)
        {
            lock (_attachGate)
            {
                listener = _listener;
                if (listener is EarlyMessages) ReadFrames(connection, ref buffer, listener);
            }
            if (listener is EarlyMessages) return;
        }
        ReadFrames(connection, ref buffer, listener);
        listener.OnBatchEnd();
    }

    private void ReadFrames(Connection connection, ref ReadOnlySequence<byte> buffer, IConnectionListener listener)
    {
        var dispatcher = new FrameDispatcher(this, listener);
        FrameError error = _reader.Read(ref buffer, ref dispatcher);
        if (error != FrameError.None)
        {
            SetEnd(ConnectionEnd.ProtocolError);
            connection.Abort(ConnectionEndReason.ProtocolError);
            return;
        }
        if (_reader.CloseReceived) buffer = buffer.Slice(buffer.End); // nothing may follow a close (RFC 6455 §5.5.1)
        if (_pong is not null && _pong.TryTake(out ReadOnlySpan<byte> pong)) connection.Send(pong);
    }

    public Task<ConnectionEnd> RunAsync(IConnectionListener listener, bool releaseBufferWhenIdle)
    {
        lock (_attachGate)
        {
            if (_listener is EarlyMessages early)
            {
                early.ReplayTo(listener);
                listener.OnBatchEnd();
            }
            Volatile.Write(ref _listener, listener);
        }
        return _ended.Task;
    }

    public bool Send(ReadOnlySpan<byte> frames) =>
        Volatile.Read(ref _connection) is { } connection && connection.Send(frames) == SendResult.Queued;

    /// <summary>Sends a close frame (1000), then closes gracefully (queued frames first, then FIN); aborts if that takes over a second.</summary>
    public async Task CloseAsync()
    {
        if (SetEnd(ConnectionEnd.Local) && Volatile.Read(ref _connection) is { } connection)
        {
            SendClose(connection, WebSocketCloseCodes.NormalClosure);
            connection.Close();
        }
        if (await Task.WhenAny(_ended.Task, Task.Delay(CloseTimeout)).ConfigureAwait(false) != _ended.Task) Abort();
        await _ended.Task.ConfigureAwait(false);
    }

    public void Abort()
    {
        SetEnd(ConnectionEnd.Local);
        Volatile.Read(ref _connection)?.Abort(ConnectionEndReason.LocalClosed);
    }

    void IWsFrameTarget.OnPing(in ReadOnlySequence<byte> payload) => (_pong ??= new PendingPong()).Set(payload);

    // The server closes: answer with a close (RFC 6455 §5.5.1) and let the core close the TCP connection gracefully.
    void IWsFrameTarget.OnServerClose(ushort code)
    {
        if (!SetEnd(ConnectionEnd.ServerClose) || Volatile.Read(ref _connection) is not { } connection) return;
        SendClose(connection, code);
        connection.Close();
    }

    void IConnectionProtocol.OnTimer(Connection connection) { }

    void IConnectionProtocol.OnShutdownRequested(Connection connection) => _ = CloseAsync();

    void IConnectionProtocol.OnClosed(Connection connection)
    {
        SetEnd(ConnectionEnd.Reset); // ended without a close handshake, unless a reason was recorded before
        _handshakeDone.TrySetResult(connection.EndReason == ConnectionEndReason.RemoteReset ? "handshake-reset" : "handshake-eof");
        _reader.Dispose();
        _ended.TrySetResult(End);
    }

    private static void SendClose(Connection connection, ushort code)
    {
        Span<byte> frame = stackalloc byte[WebSocketFrameWriter.MaxHeaderSize + 2];
        int length = WebSocketFrameWriter.WriteClose(frame, code, default, masked: true, maskKey: WebSocketMaskKeys.Next());
        connection.Send(frame[..length]);
    }

    private bool SetEnd(ConnectionEnd end) => Interlocked.CompareExchange(ref _end, (int)end, (int)ConnectionEnd.None) == (int)ConnectionEnd.None;

    /// <summary>Messages that came before any listener: copied (rare: a server that speaks first), replayed in order.</summary>
    private sealed class EarlyMessages : IConnectionListener
    {
        private readonly List<(WebSocketMessageKind Kind, byte[] Payload)> _messages = [];

        public void OnMessage(WebSocketMessageKind kind, in ReadOnlySequence<byte> payload) => _messages.Add((kind, payload.ToArray()));

        public void OnBatchEnd() { }

        public void ReplayTo(IConnectionListener listener)
        {
            foreach (var (kind, payload) in _messages) listener.OnMessage(kind, new ReadOnlySequence<byte>(payload));
            _messages.Clear();
        }
    }
}
