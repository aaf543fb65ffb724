using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using FastRealtime.Core.Buffers;
using FastRealtime.Core.Metrics;
using FastRealtime.Core.Timing;
using Microsoft.Extensions.Logging;

namespace FastRealtime.Core.Connections;

/// <summary>
/// One accepted TCP connection: a receive loop that fills <see cref="Input"/>, a bounded outbound queue drained
/// by a single writer, and one timer slot on the shared wheel.
/// </summary>
/// <remarks>
/// Split by concern: this file holds the lifecycle, Connection.Receive.cs the receive loop,
/// Connection.Send.cs the outbound queue and its writer.
/// Thread safety: <see cref="Send(SharedBuffer, int, int, bool)"/>, <see cref="Abort"/>, the timer methods and
/// <see cref="RequestShutdown"/> may be called from any thread. <see cref="Input"/> has one reader, the handler.
/// The reason the connection ended is recorded once, by whoever ends it first.
/// </remarks>
public sealed partial class Connection : TimerWheelEntry
{
    private static long s_nextId;

    private readonly Socket _socket;
    private readonly ConnectionOptions _options;
    private readonly ServerMetrics _metrics;
    private readonly TimerWheel _timerWheel;
    private readonly ILogger _logger;
    private readonly Pipe _receivePipe;
    private int _endReason; // ConnectionEndReason; 0 while open
    private IPEndPoint? _remoteEndPoint;

    internal Connection(Socket socket, ConnectionOptions options, ServerMetrics metrics, TimerWheel timerWheel, ILogger logger)
    {
        _socket = socket;
        _options = options;
        _metrics = metrics;
        _timerWheel = timerWheel;
        _logger = logger;
        Id = Interlocked.Increment(ref s_nextId);
        long pause = Math.Max(options.MaxReceiveBufferBytes, 1);
        // Inline schedulers: the handler's read continues on the receive thread, no hop per message.
        _receivePipe = new Pipe(new PipeOptions(
            pool: BlockMemoryPool.Shared,
            readerScheduler: PipeScheduler.Inline,
            writerScheduler: PipeScheduler.Inline,
            pauseWriterThreshold: pause,
            resumeWriterThreshold: pause / 2,
            minimumSegmentSize: BlockMemoryPool.Shared.BlockSize,
            useSynchronizationContext: false));
    }

    public long Id { get; }

    /// <summary>Bytes received, for the one protocol handler that owns the connection.</summary>
    public PipeReader Input => _receivePipe.Reader;

    public IPEndPoint? RemoteEndPoint => _remoteEndPoint ??= _socket.RemoteEndPoint as IPEndPoint;

    public IPEndPoint? LocalEndPoint => _socket.LocalEndPoint as IPEndPoint;

    /// <summary>The protocol now running on the connection; receives timer and shutdown callbacks.</summary>
    public IConnectionProtocol? Protocol { get; set; }

    public ServerMetrics Metrics => _metrics;

    public bool IsClosed => Volatile.Read(ref _endReason) != 0;

    public ConnectionEndReason EndReason => (ConnectionEndReason)Volatile.Read(ref _endReason);

    /// <summary>Raised once when the connection has ended and released its resources.</summary>
    public event Action<Connection>? Ended;

    /// <summary>(Re)arms this connection's single timer slot on the shared wheel.</summary>
    public void ScheduleTimer(TimeSpan delay) => _timerWheel.Schedule(this, delay);

    public void CancelTimer() => _timerWheel.Cancel(this);

    protected internal override void OnTimerExpired()
    {
        if (IsClosed) return;
        if (Protocol is { } protocol) protocol.OnTimer(this);
        else Abort(ConnectionEndReason.Timeout);
    }

    /// <summary>Asks the running protocol to close politely; without one, the connection is dropped.</summary>
    public void RequestShutdown()
    {
        if (IsClosed) return;
        if (Protocol is { } protocol) protocol.OnShutdownRequested(this);
        else Abort(ConnectionEndReason.ServerShutdown);
    }

    /// <summary>Ends the connection now: queued data is discarded and the socket closed.</summary>
    public void Abort(ConnectionEndReason reason)
    {
        if (!TrySetEndReason(reason)) return;
        CancelTimer();
        try
        {
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (SocketException) { }
        catch (ObjectDisposedException) { }
        _socket.Close();
        _receivePipe.Writer.CancelPendingFlush();
        ReleaseQueuedItems();
    }

    private bool TrySetEndReason(ConnectionEndReason reason) =>
        Interlocked.CompareExchange(ref _endReason, (int)reason, 0) == 0;

    /// <summary>Runs the handler, then closes: drains the outbound queue (bounded by DrainTimeout), sends FIN, releases everything.</summary>
    internal async Task RunAsync(IConnectionHandler handler)
    {
        _metrics.ConnectionOpened();
        var receiving = ReceiveLoopAsync();
        try
        {
            await handler.OnConnectedAsync(this).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            _logger.LogWarning(ex, "Connection {Id} handler failed", Id);
            Abort(ConnectionEndReason.ApplicationError);
        }

        // Nobody reads Input any more; the receive loop discards what still arrives (see DiscardUntilEndAsync).
        await _receivePipe.Reader.CompleteAsync().ConfigureAwait(false);
        if (!IsClosed)
        {
            await WaitForDrainAsync(_options.DrainTimeout).ConfigureAwait(false);
            if (TrySetEndReason(_peerFinished ? ConnectionEndReason.RemoteClosed : ConnectionEndReason.LocalClosed))
            {
                CancelTimer();
                // Lingering close: FIN after the last queued byte, then wait (bounded) for the peer's FIN, so
                // closing never turns into a reset that destroys data the peer has not read yet.
                try
                {
                    _socket.Shutdown(SocketShutdown.Send);
                }
                catch (SocketException) { }
                catch (ObjectDisposedException) { }
                await Task.WhenAny(receiving, Task.Delay(_options.DrainTimeout)).ConfigureAwait(false);
                _socket.Close();
                ReleaseQueuedItems();
            }
        }

        _receivePipe.Writer.CancelPendingFlush();
        await receiving.ConfigureAwait(false);
        ReleaseQueuedItems();
        _receiveArgs.Dispose();
        _metrics.ConnectionClosed();
        Ended?.Invoke(this);
    }
}
