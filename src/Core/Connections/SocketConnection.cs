using System.Net;
using System.Net.Sockets;
using FastRealtime.Core.Metrics;
using FastRealtime.Core.Timing;
using Microsoft.Extensions.Logging;

namespace FastRealtime.Core.Connections;

/// <summary>
/// A connection on .NET's <see cref="Socket"/>: readiness through a zero-byte <see cref="SocketAsyncEventArgs"/>
/// receive, reads and writes as non-blocking calls. Portable; on Linux the epoll engine is leaner.
/// </summary>
internal sealed class SocketConnection : Connection
{
    private readonly Socket _socket;
    private SocketAsyncEventArgs? _receiveArgs;

    public SocketConnection(Socket socket, ConnectionContext context)
        : base(context)
    {
        _socket = socket;
        RemoteEndPoint = socket.RemoteEndPoint as IPEndPoint; // a closed socket can no longer tell it
    }

    public override IPEndPoint? RemoteEndPoint { get; }

    private protected override void StartReceiving()
    {
        _socket.Blocking = false; // reads after readiness must never block the completing thread
        _receiveArgs = new SocketAsyncEventArgs(unsafeSuppressExecutionContextFlow: true);
        _receiveArgs.SetBuffer(Memory<byte>.Empty);
        _receiveArgs.Completed += static (_, e) => ((SocketConnection)e.UserToken!).OnReadable(e.SocketError);
        _receiveArgs.UserToken = this;
        MarkReceivePathActive();
        ReceivePath();
    }

    private protected override void KickReceivingCore() =>
        ThreadPool.UnsafeQueueUserWorkItem(static c =>
        {
            c.DeliverLeftover();
            c.ReceivePath();
        }, this, preferLocal: false);

    private void OnReadable(SocketError error)
    {
        if (error != SocketError.Success)
        {
            EndFromSocketError(error);
            ExitReceivePath();
            return;
        }
        if (ReadAvailable()) ReceivePath();
    }

    // The single logical receive thread of this connection (it may hop between OS threads, never run twice at once).
    private void ReceivePath()
    {
        while (true)
        {
            if (IsClosed || _receiveArgs is null)
            {
                ExitReceivePath();
                return;
            }
            if (IsPaused && !IsClosing)
            {
                if (TryParkReceivePath()) return;
                DeliverLeftover();
                continue;
            }

            bool pending;
            try
            {
                // Zero-byte receive: wait for data without holding a buffer (what Kestrel does too).
                pending = _socket.ReceiveAsync(_receiveArgs);
            }
            catch (ObjectDisposedException)
            {
                ExitReceivePath();
                return;
            }
            if (pending) return; // OnReadable continues
            if (_receiveArgs.SocketError != SocketError.Success)
            {
                EndFromSocketError(_receiveArgs.SocketError);
                ExitReceivePath();
                return;
            }
            if (!ReadAvailable()) return;
        }
    }

    // Reads what the socket has (non-blocking) and hands it over. False when the receive path must stop here.
    private bool ReadAvailable()
    {
        var buffer = ThreadReceiveBuffer;
        int received;
        SocketError error;
        try
        {
            received = _socket.Receive(buffer, 0, buffer.Length, SocketFlags.None, out error);
        }
        catch (ObjectDisposedException)
        {
            ExitReceivePath();
            return false;
        }
        if (error == SocketError.WouldBlock) return true; // readiness was spurious: wait again
        if (error != SocketError.Success)
        {
            EndFromSocketError(error);
            ExitReceivePath();
            return false;
        }
        if (received == 0)
        {
            OnPeerFinished();
            ExitReceivePath();
            return false;
        }
        OnBytesReceived(received);
        return true;
    }

    private protected override void OnReceivePathExited() => _receiveArgs?.Dispose();

    [System.Runtime.CompilerServices.AsyncMethodBuilder(typeof(System.Runtime.CompilerServices.PoolingAsyncValueTaskMethodBuilder<>))]
    private protected override async ValueTask<SocketOperationResult> SendCoreAsync(ReadOnlyMemory<byte> data)
    {
        var args = SocketSenderPool.Rent();
        try
        {
            return await args.SendAsync(_socket, data);
        }
        finally
        {
            SocketSenderPool.Return(args);
        }
    }

    private protected override void ShutdownSendCore()
    {
        try
        {
            _socket.Shutdown(SocketShutdown.Send);
        }
        catch (SocketException) { }
        catch (ObjectDisposedException) { }
    }

    private protected override void CloseCore()
    {
        try
        {
            _socket.Close();
        }
        catch (ObjectDisposedException) { }
    }
}
