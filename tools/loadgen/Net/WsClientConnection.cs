using System.Buffers;
using System.Net.Sockets;
using FastRealtime.Transport.WebSockets;

namespace FastRealtime.LoadGen.Net;

/// <summary>
/// One client WebSocket connection of the load generator: a socket, a receive buffer and the client-role frame reader.
/// No thread of its own: the receive loop is an async method whose continuations run on pool threads, and its
/// awaits of Socket.ReceiveAsync/SendAsync(Memory) reuse the socket's cached event args, so a steady-state
/// message allocates nothing.
/// </summary>
/// <remarks>
/// Thread safety: the receive loop is the only reader. Sends may come from the receive loop and from a pacer
/// at once, so every send takes <see cref="_sendLock"/> (uncontended in the common case, which completes synchronously).
/// </remarks>
public sealed class WsClientConnection
{
    private const int MinReceiveBuffer = 4096;
    private static readonly IConnectionListener NoListener = new NullListener();

    private readonly Socket _socket;
    private readonly WebSocketFrameReader _reader;
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly int _maxBuffer;
    private byte[]? _receiveBuffer;
    private int _filled;
    private byte[]? _pongPayload;
    private byte[]? _pongFrame;
    private int _pendingPongLength = -1;
    private int _end;

    internal WsClientConnection(Socket socket, byte[] receiveBuffer, int filled, int maxMessageSize)
    {
        _socket = socket;
        _receiveBuffer = receiveBuffer;
        _filled = filled;
        _maxBuffer = maxMessageSize + WebSocketFrameWriter.MaxHeaderSize;
        _reader = new WebSocketFrameReader(WebSocketRole.Client, new WebSocketLimits { MaxMessageSize = maxMessageSize, MaxFrameSize = maxMessageSize });
    }

    public IConnectionListener Listener { get; private set; } = NoListener;

    public ConnectionEnd End => (ConnectionEnd)Volatile.Read(ref _end);

    /// <summary>
    /// Reads and dispatches until the connection ends. With <paramref name="releaseBufferWhenIdle"/> the buffer goes
    /// back to the pool whenever no partial frame is pending and the loop waits with a zero-byte receive, so an
    /// idle connection holds no buffer (how 100k held connections stay small).
    /// </summary>
    public async Task<ConnectionEnd> RunReceiveLoopAsync(IConnectionListener listener, bool releaseBufferWhenIdle)
    {
        Listener = listener;
        try
        {
            while (End == ConnectionEnd.None)
            {
                if (_filled > 0 && !Dispatch()) break;
                await SendPendingPongAsync().ConfigureAwait(false);
                await listener.OnBatchEndAsync().ConfigureAwait(false);
                if (End != ConnectionEnd.None) break;

                if (releaseBufferWhenIdle && _filled == 0)
                {
                    ReturnBuffer();
                    int ready = await _socket.ReceiveAsync(Memory<byte>.Empty, SocketFlags.None).ConfigureAwait(false);
                    if (ready < 0) break;
                    _receiveBuffer = ArrayPool<byte>.Shared.Rent(MinReceiveBuffer);
                }
                EnsureSpace();
                int read = await _socket.ReceiveAsync(_receiveBuffer.AsMemory(_filled), SocketFlags.None).ConfigureAwait(false);
                if (read == 0)
                {
                    SetEnd(ConnectionEnd.Reset);
                    break;
                }
                _filled += read;
            }
        }
        catch (SocketException)
        {
            SetEnd(ConnectionEnd.Reset);
        }
        catch (ObjectDisposedException)
        {
            SetEnd(ConnectionEnd.Local);
        }
        ReturnBuffer();
        return End;
    }

    /// <summary>Sends whole frames. False when the connection is gone (the caller counts it, no exception).</summary>
    public async ValueTask<bool> SendAsync(ReadOnlyMemory<byte> frames)
    {
        await _sendLock.WaitAsync().ConfigureAwait(false);
        try
        {
            while (!frames.IsEmpty)
            {
                int sent = await _socket.SendAsync(frames, SocketFlags.None).ConfigureAwait(false);
                if (sent <= 0) return false;
                frames = frames[sent..];
            }
            return true;
        }
        catch (SocketException)
        {
            SetEnd(ConnectionEnd.Reset);
            return false;
        }
        catch (ObjectDisposedException)
        {
            return false;
        }
        finally
        {
            _sendLock.Release();
        }
    }

    /// <summary>Sends a close frame (1000) and closes the socket; the receive loop then ends.</summary>
    public async Task CloseAsync()
    {
        if (SetEnd(ConnectionEnd.Local))
        {
            var frame = new byte[WebSocketFrameWriter.MaxHeaderSize + 2];
            int length = WebSocketFrameWriter.WriteClose(frame, WebSocketCloseCodes.NormalClosure, default, masked: true, maskKey: WebSocketMaskKeys.Next());
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(1));
            try
            {
                await _sendLock.WaitAsync(timeout.Token).ConfigureAwait(false);
                try
                {
                    await _socket.SendAsync(frame.AsMemory(0, length), SocketFlags.None, timeout.Token).ConfigureAwait(false);
                }
                finally
                {
                    _sendLock.Release();
                }
            }
            catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException) { }
        }
        Abort();
    }

    /// <summary>Closes the socket without a close handshake.</summary>
    public void Abort()
    {
        SetEnd(ConnectionEnd.Local);
        try { _socket.Shutdown(SocketShutdown.Both); } catch (SocketException) { } catch (ObjectDisposedException) { }
        _socket.Dispose();
    }

    internal void QueuePong(in ReadOnlySequence<byte> payload)
    {
        // Control payloads are at most 125 bytes (RFC 6455 §5.5); the last unanswered ping wins (§5.5.3 allows it).
        _pongPayload ??= new byte[WebSocketFrameWriter.MaxControlPayloadLength];
        int length = (int)payload.Length;
        payload.CopyTo(_pongPayload);
        _pendingPongLength = length;
    }

    internal void OnServerClose() => SetEnd(ConnectionEnd.ServerClose);

    private bool Dispatch()
    {
        var buffer = new ReadOnlySequence<byte>(_receiveBuffer!, 0, _filled);
        var dispatcher = new FrameDispatcher(this);
        FrameError error = _reader.Read(ref buffer, ref dispatcher);
        if (error != FrameError.None)
        {
            SetEnd(ConnectionEnd.ProtocolError);
            return false;
        }
        int remaining = (int)buffer.Length;
        if (remaining > 0 && remaining != _filled) Buffer.BlockCopy(_receiveBuffer!, _filled - remaining, _receiveBuffer!, 0, remaining);
        _filled = remaining;
        return End == ConnectionEnd.None;
    }

    private async ValueTask SendPendingPongAsync()
    {
        if (_pendingPongLength < 0) return;
        int length = _pendingPongLength;
        _pendingPongLength = -1;
        _pongFrame ??= new byte[WebSocketFrameWriter.MaxHeaderSize + WebSocketFrameWriter.MaxControlPayloadLength];
        int frameLength = WebSocketFrameWriter.WriteFrame(
            _pongFrame, WebSocketOpcode.Pong, _pongPayload.AsSpan(0, length), masked: true, maskKey: WebSocketMaskKeys.Next());
        await SendAsync(_pongFrame.AsMemory(0, frameLength)).ConfigureAwait(false);
    }

    private void EnsureSpace()
    {
        _receiveBuffer ??= ArrayPool<byte>.Shared.Rent(MinReceiveBuffer);
        if (_filled < _receiveBuffer.Length) return;
        // A frame larger than the buffer: grow (bounded by the max message size the reader enforces).
        int size = Math.Min(Math.Max(_receiveBuffer.Length * 2, MinReceiveBuffer), Math.Max(_maxBuffer, _receiveBuffer.Length + 1));
        byte[] larger = ArrayPool<byte>.Shared.Rent(size);
        Buffer.BlockCopy(_receiveBuffer, 0, larger, 0, _filled);
        ArrayPool<byte>.Shared.Return(_receiveBuffer);
        _receiveBuffer = larger;
    }

    private void ReturnBuffer()
    {
        if (_receiveBuffer is null || _filled > 0) return;
        ArrayPool<byte>.Shared.Return(_receiveBuffer);
        _receiveBuffer = null;
    }

    private bool SetEnd(ConnectionEnd end) => Interlocked.CompareExchange(ref _end, (int)end, (int)ConnectionEnd.None) == (int)ConnectionEnd.None;

    private sealed class NullListener : IConnectionListener
    {
        public void OnMessage(WebSocketMessageKind kind, in ReadOnlySequence<byte> payload) { }
        public ValueTask OnBatchEndAsync() => ValueTask.CompletedTask;
    }
}
