using System.Net;
using FastRealtime.Core.Metrics;
using FastRealtime.Core.Timing;
using Microsoft.Extensions.Logging;

namespace FastRealtime.Core.Connections;

/// <summary>
/// One accepted TCP connection, driven by callbacks: a receive path that hands bytes to <see cref="Protocol"/>,
/// a bounded outbound queue drained by a single writer, and one timer slot on the shared wheel.
/// </summary>
/// <remarks>
/// Split by concern: this file holds the lifecycle (graceful close, abort, the end reason), Connection.Receive.cs
/// the receive path, Connection.Send.cs the outbound queue and its writer.
/// Thread safety: Send, <see cref="Close"/>, <see cref="Abort"/>, the timer methods, pause/resume and
/// <see cref="RequestShutdown"/> may be called from any thread. The reason the connection ended is recorded once,
/// by whoever ends it first, and <see cref="IConnectionProtocol.OnClosed"/> runs exactly once.
/// </remarks>
public abstract partial class Connection : TimerWheelEntry
{
    private static long s_nextId;

    private readonly ConnectionContext _context;
    private int _endReason;     // ConnectionEndReason; 0 while open
    // Lifecycle facts, each set once, packed in one word (idle memory per connection is counted in bytes):
    private const int Closing = 1;       // a graceful close began: no more OnData, drain, FIN, linger
    private const int FinSent = 2;
    private const int Finalized = 4;
    private const int PeerFinished = 8;  // the peer's FIN arrived
    private int _lifecycle;

    private protected Connection(ConnectionContext context)
    {
        _context = context;
        Id = Interlocked.Increment(ref s_nextId);
    }

    public long Id { get; }

    /// <summary>Where the server's connection set keeps this connection (-1 when it is not in one).</summary>
    internal int RegistrySlot { get; set; } = -1;

    public abstract IPEndPoint? RemoteEndPoint { get; }

    /// <summary>The protocol now running on the connection; it may replace itself (HTTP upgrading to WebSocket).</summary>
    public IConnectionProtocol? Protocol { get; set; }

    public ServerMetrics Metrics => _context.Metrics;

    public bool IsClosed => Volatile.Read(ref _endReason) != 0;

    /// <summary>True once a graceful close began or the connection ended.</summary>
    public bool IsClosing => HasFact(Closing) || IsClosed;

    public ConnectionEndReason EndReason => (ConnectionEndReason)Volatile.Read(ref _endReason);

    internal void Start(IConnectionHandler handler)
    {
        _context.Metrics.ConnectionOpened();
        try
        {
            handler.OnConnected(this);
        }
        catch (Exception ex)
        {
            _context.Logger.LogWarning(ex, "Connection {Id} handler failed", Id);
            Abort(ConnectionEndReason.ApplicationError);
            return;
        }
        StartReceiving();
    }

    /// <summary>(Re)arms this connection's single timer slot on the shared wheel (owned by the protocol until a close begins).</summary>
    public void ScheduleTimer(TimeSpan delay)
    {
        if (!IsClosing) _context.TimerWheel.Schedule(this, delay);
    }

    public void CancelTimer()
    {
        if (!IsClosing) _context.TimerWheel.Cancel(this);
    }

    protected internal override void OnTimerExpired()
    {
        if (IsClosed) return;
        if (IsClosing)
        {
            Abort(ConnectionEndReason.Timeout); // draining or lingering took too long
            return;
        }
        try
        {
            if (Protocol is { } protocol) protocol.OnTimer(this);
            else Abort(ConnectionEndReason.Timeout);
        }
        catch (Exception ex)
        {
            _context.Logger.LogWarning(ex, "Connection {Id} timer callback failed", Id);
            Abort(ConnectionEndReason.ApplicationError);
        }
    }

    /// <summary>Asks the running protocol to close politely; without one, the connection is dropped.</summary>
    public void RequestShutdown()
    {
        if (IsClosing) return;
        if (Protocol is { } protocol) protocol.OnShutdownRequested(this);
        else Abort(ConnectionEndReason.ServerShutdown);
    }

    /// <summary>
    /// Graceful close: nothing more is handed to the protocol; what is queued is written (bounded by DrainTimeout),
    /// then FIN, then the peer's FIN is awaited (bounded) so closing never turns into a reset that destroys data the
    /// peer has not read yet.
    /// </summary>
    public void Close()
    {
        if (IsClosed || !TrySetFact(Closing)) return;
        _context.TimerWheel.Schedule(this, _context.Options.DrainTimeout);
        if (IsOutboundIdle()) SendFin();
        // The receive path may be paused (a protocol waiting on async work): it must run to see the peer's FIN.
        KickReceiving();
    }

    // Called once the outbound queue is empty while closing.
    private void SendFin()
    {
        if (!TrySetFact(FinSent)) return;
        ShutdownSendCore();
        if (HasFact(PeerFinished))
        {
            End(ConnectionEndReason.RemoteClosed); // the peer is gone already: nothing to linger for
            return;
        }
        _context.TimerWheel.Schedule(this, _context.Options.DrainTimeout); // linger for the peer's FIN
    }

    /// <summary>Ends the connection now: queued data is discarded and the socket closed.</summary>
    public void Abort(ConnectionEndReason reason) => End(reason);

    private void End(ConnectionEndReason reason)
    {
        if (Interlocked.CompareExchange(ref _endReason, (int)reason, 0) != 0) return;
        TrySetFact(Closing);
        _context.TimerWheel.Cancel(this);
        CloseCore();
        ReleaseQueuedItems();
        // The protocol hears OnClosed only once the receive path has stopped calling it: here if it is gone
        // already, else from the receive path itself when it sees the end (a kick wakes it if it is paused).
        if (Volatile.Read(ref _receiveActive) == 2) Finish();
        else KickReceiving();
    }

    private protected bool HasFact(int fact) => (Volatile.Read(ref _lifecycle) & fact) != 0;

    /// <summary>Records <paramref name="fact"/>; true only for the caller that recorded it first.</summary>
    private protected bool TrySetFact(int fact) => (Interlocked.Or(ref _lifecycle, fact) & fact) == 0;

    /// <summary>Sends FIN (no more bytes from us); the receive side stays open.</summary>
    private protected abstract void ShutdownSendCore();

    /// <summary>Closes the socket; pending operations complete with an error.</summary>
    private protected abstract void CloseCore();

    internal void Finish()
    {
        if (!TrySetFact(Finalized)) return;
        try
        {
            Protocol?.OnClosed(this);
        }
        catch (Exception ex)
        {
            _context.Logger.LogWarning(ex, "Connection {Id} close callback failed", Id);
        }
        _context.Metrics.ConnectionClosed();
        _context.ConnectionEnded?.Invoke(this);
        OnFinished();
    }

    /// <summary>Everything is over and every callback made; the backend releases what identifies the connection.</summary>
    private protected virtual void OnFinished() { }
}
