using System.Buffers;
using System.Net.Sockets;
using FastRealtime.Transport.WebSockets;
using FastRealtime.LoadGen.Measurement;

namespace FastRealtime.LoadGen.Net;

/// <summary>
/// The portable engine (used where the epoll engine is not supported): one client WebSocket connection on a
/// <see cref="Socket"/>, a receive buffer and the client-role frame reader. No thread of its own: the receive loop
/// is an async method whose continuations run on pool threads, one wake-up per read.
/// </summary>
/// <remarks>
/// Thread safety: the receive loop is the only reader. Sends may come from the receive loop and from a pacer at
/// once, so every send takes <see cref="_sendLock"/> (uncontended in the common case). Sends are synchronous: the
/// listener contract is synchronous for both engines, and a blocking send only waits when the kernel's buffer is full.
/// </remarks>
public sealed class SocketWsConnection : IClientConnection, IWsFrameTarget
{
    private const int MinReceiveBuffer = 4096;
    private static readonly TimeSpan CloseTimeout = TimeSpan.FromSeconds(1);

    private readonly Socket _socket;
    private readonly WebSocketFrameReader _reader;
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly int _maxBuffer;
    private byte[]? _receiveBuffer;
    private int _filled;
    private PendingPong? _pong;
    private int _end;

    internal SocketWsConnection(Socket socket, byte[] receiveBuffer, int filled, int maxMessageSize)
    {
        _socket = socket;
        _receiveBuffer = receiveBuffer;
        _filled = filled;
        _maxBuffer = maxMessageSize + WebSocketFrameWriter.MaxHeaderSize;
        _reader = new WebSocketFrameReader(WebSocketRole.Client, new WebSocketLimits { MaxMessageSize = maxMessageSize, MaxFrameSize = maxMessageSize });
    }

    public ConnectionEnd End => (ConnectionEnd)Volatile.Read(ref _end);

    /// <summary>
    /// Reads and dispatches until the connection ends. Bytes that arrived before the call wait in the kernel (or in
    /// the buffer the handshake left), so nothing is lost. With <paramref name="releaseBufferWhenIdle"/> the buffer
    /// goes back to the pool whenever no partial frame is pending and the loop waits with a zero-byte receive.
    /// </summary>
    public async Task<ConnectionEnd> RunAsync(IConnectionListener listener, bool releaseBufferWhenIdle)
    {
        try
        {
            while (End == ConnectionEnd.None)
            {
                if (_filled > 0 && !Dispatch(listener)) break;
                if (_pong is not null && _pong.TryTake(out ReadOnlySpan<byte> pong)) Send(pong);
                listener.OnBatchEnd();
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

    public bool Send(ReadOnlySpan<byte> frames)
    {
        _sendLock.Wait();
        try
        {
            while (!frames.IsEmpty)
            {
                int sent = _socket.Send(frames, SocketFlags.None);
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
            using var timeout = new CancellationTokenSource(CloseTimeout);
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

    public void Abort()
    {
        SetEnd(ConnectionEnd.Local);
        try { _socket.Shutdown(SocketShutdown.Both); } catch (SocketException) { } catch (ObjectDisposedException) { }
        _socket.Dispose();
    }

    void IWsFrameTarget.OnPing(in ReadOnlySequence<byte> payload) => (_pong ??= new PendingPong()).Set(payload);

    void IWsFrameTarget.OnServerClose(ushort code) => SetEnd(ConnectionEnd.ServerClose);

    private bool Dispatch(IConnectionListener listener)
    {
        using var read = ReceiveClock.ReadStarted();
        var buffer = new ReadOnlySequence<byte>(_receiveBuffer!, 0, _filled);
        var dispatcher = new FrameDispatcher(this, listener);
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
}
