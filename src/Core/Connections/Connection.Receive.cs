using System.Buffers;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace FastRealtime.Core.Connections;

public sealed partial class Connection
{
    private const int ThreadReceiveBufferSize = 64 * 1024;

    // Bytes the socket produced this read go into a per-thread buffer; only what the protocol leaves unconsumed is
    // copied into a per-connection buffer, rented then and returned as soon as it is empty. An idle connection
    // therefore holds no receive buffer (and waits for data with a zero-byte receive).
    [ThreadStatic]
    private static byte[]? t_receiveBuffer;

    // The connection whose received bytes this thread is handing to its protocol right now; sends it makes
    // meanwhile are flushed once the batch is processed (one syscall for all replies) instead of each on its own.
    [ThreadStatic]
    private static Connection? t_receiving;

    private SocketAsyncEventArgs? _receiveArgs;
    private byte[]? _leftover;      // owned by the receive path
    private int _leftoverLength;
    private volatile bool _paused;
    private int _receiveActive;     // 1 while the receive path runs or waits on the socket; 2 once it is done
    private int _peerFinished;

    /// <summary>Stops handing bytes to the protocol (it waits on async work); bytes already received are kept.</summary>
    public void PauseReceiving() => _paused = true;

    /// <summary>Resumes after <see cref="PauseReceiving"/>: kept bytes are offered first, then reading goes on.</summary>
    public void ResumeReceiving()
    {
        _paused = false;
        KickReceiving();
    }

    private void KickReceiving()
    {
        if (Interlocked.CompareExchange(ref _receiveActive, 1, 0) == 0)
            ThreadPool.UnsafeQueueUserWorkItem(static c => c.ReceivePath(offerLeftover: true), this, preferLocal: false);
    }

    private void StartReceiving()
    {
        _socket.Blocking = false; // reads after readiness must never block the completing thread
        _receiveArgs = new SocketAsyncEventArgs(unsafeSuppressExecutionContextFlow: true);
        _receiveArgs.SetBuffer(Memory<byte>.Empty);
        _receiveArgs.Completed += static (_, e) => ((Connection)e.UserToken!).OnReadable(e.SocketError);
        _receiveArgs.UserToken = this;
        Volatile.Write(ref _receiveActive, 1);
        ReceivePath(offerLeftover: false);
    }

    private void OnReadable(SocketError error)
    {
        if (error != SocketError.Success)
        {
            EndFromSocketError(error);
            ExitReceivePath();
            return;
        }
        if (ReadAvailable()) ReceivePath(offerLeftover: false);
    }

    // The single logical receive thread of this connection (it may hop between OS threads, never run twice at once).
    private void ReceivePath(bool offerLeftover)
    {
        if (offerLeftover && _leftoverLength > 0 && !IsClosing && !_paused)
            Deliver(0);
        while (true)
        {
            if (IsClosed)
            {
                ExitReceivePath();
                return;
            }
            if (_paused && !IsClosing)
            {
                Volatile.Write(ref _receiveActive, 0);
                // A resume (or close) between our look and the release found the path still active and left it to us.
                if ((_paused && !IsClosing) || Interlocked.CompareExchange(ref _receiveActive, 1, 0) != 0) return;
                if (_leftoverLength > 0 && !IsClosing) Deliver(0);
                continue;
            }

            bool pending;
            try
            {
                pending = _socket.ReceiveAsync(_receiveArgs!);
            }
            catch (ObjectDisposedException)
            {
                ExitReceivePath();
                return;
            }
            if (pending) return; // OnReadable continues
            if (_receiveArgs!.SocketError != SocketError.Success)
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
        var buffer = t_receiveBuffer ??= GC.AllocateUninitializedArray<byte>(ThreadReceiveBufferSize, pinned: true);
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
        _metrics.BytesIn(received);
        if (IsClosing) return true; // lingering: discard until the peer's FIN
        Deliver(received);
        return true;
    }

    // Hands the bytes of this read (at the start of the thread's buffer), after any kept from before, to the protocol.
    private void Deliver(int receivedLength)
    {
        var protocol = Protocol;
        if (protocol is null) return;
        t_receiving = this;
        try
        {
            if (_leftoverLength == 0)
            {
                var sequence = new ReadOnlySequence<byte>(t_receiveBuffer!, 0, receivedLength);
                Offer(protocol, ref sequence);
                if (!sequence.IsEmpty && !IsClosed) KeepLeftover(sequence);
            }
            else
            {
                AppendLeftover(t_receiveBuffer.AsSpan(0, receivedLength));
                if (IsClosed) return;
                var sequence = new ReadOnlySequence<byte>(_leftover!, 0, _leftoverLength);
                long before = sequence.Length;
                Offer(protocol, ref sequence);
                ConsumeLeftover((int)(before - sequence.Length));
            }
        }
        catch (Exception ex)
        {
            _logger.LogWarning(ex, "Connection {Id} protocol failed on received data", Id);
            End(ConnectionEndReason.ApplicationError);
        }
        finally
        {
            t_receiving = null;
        }
        FlushDeferredSends();
    }

    private void Offer(IConnectionProtocol protocol, ref ReadOnlySequence<byte> sequence)
    {
        protocol.OnData(this, ref sequence);
        // The protocol may have handed over (HTTP upgraded to WebSocket): the rest belongs to the new one.
        while (!sequence.IsEmpty && !IsClosing && !_paused && Protocol is { } next && next != protocol)
        {
            protocol = next;
            protocol.OnData(this, ref sequence);
        }
    }

    private void KeepLeftover(ReadOnlySequence<byte> rest)
    {
        if (rest.Length > _options.MaxReceiveBufferBytes)
        {
            End(ConnectionEndReason.LimitExceeded);
            return;
        }
        _leftover = ArrayPool<byte>.Shared.Rent((int)Math.Max(rest.Length, 4096));
        rest.CopyTo(_leftover);
        _leftoverLength = (int)rest.Length;
    }

    private void AppendLeftover(ReadOnlySpan<byte> received)
    {
        if (received.IsEmpty) return;
        int needed = _leftoverLength + received.Length;
        if (needed > _options.MaxReceiveBufferBytes)
        {
            // The protocol is not consuming what it was given (it would with any sane peer): a limit, not a leak.
            End(ConnectionEndReason.LimitExceeded);
            return;
        }
        if (needed > _leftover!.Length)
        {
            var bigger = ArrayPool<byte>.Shared.Rent(Math.Max(needed, _leftover.Length * 2));
            _leftover.AsSpan(0, _leftoverLength).CopyTo(bigger);
            ArrayPool<byte>.Shared.Return(_leftover);
            _leftover = bigger;
        }
        received.CopyTo(_leftover.AsSpan(_leftoverLength));
        _leftoverLength = needed;
    }

    private void ConsumeLeftover(int consumed)
    {
        if (_leftover is null) return;
        int rest = _leftoverLength - consumed;
        if (rest <= 0)
        {
            ReleaseLeftover();
            return;
        }
        _leftover.AsSpan(consumed, rest).CopyTo(_leftover);
        _leftoverLength = rest;
    }

    private void ReleaseLeftover()
    {
        if (_leftover is { } array) ArrayPool<byte>.Shared.Return(array);
        _leftover = null;
        _leftoverLength = 0;
    }

    private void ExitReceivePath()
    {
        ReleaseLeftover();
        // Full fence, paired with End(): one of the two sees the other and calls Finish (which runs once).
        Interlocked.Exchange(ref _receiveActive, 2);
        if (IsClosed)
        {
            _receiveArgs?.Dispose();
            Finish();
        }
    }

    // The peer sent FIN: with our FIN already sent this ends the linger; otherwise nothing more will arrive, so
    // close once what is queued has been written (SendFin ends the connection when it sees this flag).
    private void OnPeerFinished()
    {
        Volatile.Write(ref _peerFinished, 1);
        if (Volatile.Read(ref _finSent) != 0)
        {
            End(ConnectionEndReason.LocalClosed);
            return;
        }
        Close();
    }

    private void EndFromSocketError(SocketError error) =>
        End(error is SocketError.OperationAborted or SocketError.Shutdown ? ConnectionEndReason.LocalClosed : ConnectionEndReason.RemoteReset);
}
