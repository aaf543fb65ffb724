using System.Buffers;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace FastRealtime.Core.Connections;

public abstract partial class Connection
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

    /// <summary>True while this thread hands a connection's received bytes to its protocol (the end of that is a flush point).</summary>
    internal static bool IsReceivingOnThisThread => t_receiving is not null;

    private byte[]? _leftover;      // owned by the receive path
    private int _leftoverLength;
    private volatile bool _paused;
    private int _receiveActive;     // 1 while the receive path runs or waits on the socket; 2 once it is done

    /// <summary>Stops handing bytes to the protocol (it waits on async work); bytes already received are kept.</summary>
    public void PauseReceiving() => _paused = true;

    /// <summary>Resumes after <see cref="PauseReceiving"/>: kept bytes are offered first, then reading goes on.</summary>
    public void ResumeReceiving()
    {
        _paused = false;
        KickReceiving();
    }

    private protected bool IsPaused => _paused;

    private protected bool IsReceivePathExited => Volatile.Read(ref _receiveActive) == 2;

    private protected bool HasLeftover => _leftoverLength > 0;

    private void KickReceiving()
    {
        if (Interlocked.CompareExchange(ref _receiveActive, 1, 0) == 0) KickReceivingCore();
    }

    /// <summary>Starts reading; called once, after the first protocol is set.</summary>
    private protected abstract void StartReceiving();

    /// <summary>
    /// Runs the receive path again after it was released (paused, or idle when the connection ends), on a thread
    /// where it may call the protocol: it offers kept bytes first (<see cref="DeliverLeftover"/>), then reads, or
    /// exits (<see cref="ExitReceivePath"/>) when the connection has ended.
    /// </summary>
    private protected abstract void KickReceivingCore();

    /// <summary>
    /// Called by the receive path when it finds itself paused: releases the path unless a resume or close raced in.
    /// True means the path must stop; false means it owns the path again and goes on.
    /// </summary>
    private protected bool TryParkReceivePath()
    {
        Volatile.Write(ref _receiveActive, 0);
        // A resume (or close) between our look and the release found the path still active and left it to us.
        if ((_paused && !IsClosing) || Interlocked.CompareExchange(ref _receiveActive, 1, 0) != 0) return true;
        return false;
    }

    private protected void MarkReceivePathActive() => Volatile.Write(ref _receiveActive, 1);

    private protected void DeliverLeftover()
    {
        if (_leftoverLength > 0 && !IsClosing && !_paused) Deliver(0);
    }

    /// <summary>The per-thread buffer reads land in; pass the count read to <see cref="Deliver"/>.</summary>
    private protected static byte[] ThreadReceiveBuffer =>
        t_receiveBuffer ??= GC.AllocateUninitializedArray<byte>(ThreadReceiveBufferSize, pinned: true);

    /// <summary>Bytes were read into <see cref="ThreadReceiveBuffer"/>: counts them and hands them over (or discards them while lingering).</summary>
    private protected void OnBytesReceived(int received)
    {
        _context.Metrics.BytesIn(received);
        if (IsClosing) return; // lingering: discard until the peer's FIN
        Deliver(received);
    }

    // Hands the bytes of this read (at the start of the thread's buffer), after any kept from before, to the protocol.
    private protected void Deliver(int receivedLength)
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
            _context.Logger.LogWarning(ex, "Connection {Id} protocol failed on received data", Id);
            End(ConnectionEndReason.ApplicationError);
        }
        finally
        {
            t_receiving = null;
            ThreadDeferredSends.Flush(); // publishes merged while this read was handled
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
        if (rest.Length > _context.Options.MaxReceiveBufferBytes)
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
        if (needed > _context.Options.MaxReceiveBufferBytes)
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

    private protected void ExitReceivePath()
    {
        ReleaseLeftover();
        // Full fence, paired with End(): one of the two sees the other and calls Finish (which runs once).
        Interlocked.Exchange(ref _receiveActive, 2);
        if (IsClosed)
        {
            OnReceivePathExited();
            Finish();
        }
    }

    /// <summary>The receive path is gone for good and the connection has ended: release receive resources.</summary>
    private protected virtual void OnReceivePathExited() { }

    // The peer sent FIN: with our FIN already sent this ends the linger; otherwise nothing more will arrive, so
    // close once what is queued has been written (SendFin ends the connection when it sees this flag).
    private protected void OnPeerFinished()
    {
        TrySetFact(PeerFinished);
        if (HasFact(FinSent))
        {
            End(ConnectionEndReason.LocalClosed);
            return;
        }
        Close();
    }

    private protected void EndFromSocketError(SocketError error) =>
        End(error is SocketError.OperationAborted or SocketError.Shutdown ? ConnectionEndReason.LocalClosed : ConnectionEndReason.RemoteReset);
}
