using System.Net;
using System.Net.Sockets;
using FastRealtime.Core.Connections;
using FastRealtime.Core.Epoll;
using FastRealtime.Core.Metrics;
using FastRealtime.Core.Timing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace FastRealtime.Core.Listening;

/// <summary>
/// Accepts TCP connections and runs an <see cref="IConnectionHandler"/> on each; stops gracefully.
/// </summary>
public sealed class SocketServer : IAsyncDisposable
{
    private readonly SocketServerOptions _options;
    private readonly IConnectionHandler _handler;
    private readonly ILogger _logger;
    private readonly ConnectionSet _connections = new();
    private readonly ConnectionsPerIpLimiter _perIp;
    private readonly Action<Connection> _onConnectionEnded;
    private readonly ConnectionContext _context;
    private Socket? _listenSocket;
    private IPEndPoint? _localEndPoint;
    private Task _acceptLoop = Task.CompletedTask;
    private EpollLoop[]? _loops;
    private EpollAcceptor? _acceptor;
    private volatile bool _stopping;

    public SocketServer(SocketServerOptions options, IConnectionHandler handler, ServerMetrics metrics, TimerWheel? timerWheel = null, ILogger? logger = null)
    {
        _options = options;
        _handler = handler;
        Metrics = metrics;
        TimerWheel = timerWheel ?? TimerWheel.Shared;
        _logger = logger ?? NullLogger.Instance;
        _perIp = new ConnectionsPerIpLimiter(options.MaxConnectionsPerIp);
        _onConnectionEnded = OnConnectionEnded;
        _context = new ConnectionContext(options.Connection, metrics, TimerWheel, _logger) { ConnectionEnded = _onConnectionEnded };
    }

    public ServerMetrics Metrics { get; }

    public TimerWheel TimerWheel { get; }

    /// <summary>The bound address (with the real port when the options asked for port 0).</summary>
    public IPEndPoint LocalEndPoint => _localEndPoint ?? throw new InvalidOperationException("The server is not started.");

    /// <summary>The engine actually serving connections (Auto resolved).</summary>
    public SocketEngine Engine { get; private set; }

    public int ConnectionCount => _connections.Count;

    public void Start()
    {
        var socket = new Socket(_options.EndPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        if (_options.EndPoint.AddressFamily == AddressFamily.InterNetworkV6 && _options.EndPoint.Address.Equals(IPAddress.IPv6Any))
            socket.DualMode = true;
        socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        socket.Bind(_options.EndPoint);
        socket.Listen(_options.Backlog);
        _listenSocket = socket;
        _localEndPoint = (IPEndPoint)socket.LocalEndPoint!;

        Engine = _options.Engine == SocketEngine.Auto
            ? (LibC.IsSupported ? SocketEngine.Epoll : SocketEngine.Sockets)
            : _options.Engine;
        if (Engine == SocketEngine.Epoll && !LibC.IsSupported)
            throw new PlatformNotSupportedException("The epoll engine needs Linux on x64.");

        if (Engine == SocketEngine.Epoll)
        {
            int count = _options.EventLoops > 0 ? _options.EventLoops : Environment.ProcessorCount;
            _loops = new EpollLoop[count];
            for (int i = 0; i < count; i++) _loops[i] = new EpollLoop(i);
            _acceptor = new EpollAcceptor(socket, _loops, AcceptEpoll);
            _acceptor.Start();
        }
        else
        {
            _acceptLoop = AcceptLoopAsync(socket);
        }
    }

    private async Task AcceptLoopAsync(Socket listenSocket)
    {
        using var args = new SocketAwaitableEventArgs();
        while (!_stopping)
        {
            SocketOperationResult result;
            try
            {
                result = await args.AcceptAsync(listenSocket);
            }
            catch (ObjectDisposedException)
            {
                break;
            }
            if (result.HasError)
            {
                if (_stopping) break;
                // Out of file descriptors and the like: back off briefly instead of spinning.
                _logger.LogWarning("Accept failed: {Error}", result.Error);
                await Task.Delay(10);
                continue;
            }
            Accept(args.AcceptSocket!);
        }
    }

    private void Accept(Socket socket)
    {
        var remote = socket.RemoteEndPoint as IPEndPoint;
        if (!TryAdmit(remote))
        {
            socket.Close(0);
            return;
        }
        socket.NoDelay = true;
        Run(new SocketConnection(socket, _context));
    }

    private void AcceptEpoll(int fd, IPEndPoint? remote, EpollLoop loop)
    {
        if (!TryAdmit(remote))
        {
            LibC.close(fd);
            return;
        }
        Run(new EpollConnection(fd, remote, loop, _context));
    }

    private bool TryAdmit(IPEndPoint? remote)
    {
        if (_connections.Count < _options.MaxConnections && _perIp.TryAcquire(remote?.Address ?? IPAddress.None)) return true;
        Metrics.ConnectionRejected();
        return false;
    }

    private void Run(Connection connection)
    {
        _connections.Add(connection);
        if (_stopping) connection.Abort(ConnectionEndReason.ServerShutdown);
        connection.Start(_handler);
    }

    private void OnConnectionEnded(Connection connection)
    {
        _connections.Remove(connection);
        _perIp.Release(connection.RemoteEndPoint?.Address ?? IPAddress.None);
    }

    /// <summary>
    /// Graceful stop: no new connections, every protocol asked to say goodbye (WebSocket close 1001),
    /// connections drained until the timeout, then the rest dropped.
    /// </summary>
    public async Task StopAsync(TimeSpan? timeout = null)
    {
        if (_stopping) return;
        _stopping = true;
        if (_acceptor is not null) _acceptor.Dispose();
        else _listenSocket?.Close();
        await _acceptLoop.ConfigureAwait(false);

        foreach (var connection in _connections.Snapshot())
            connection.RequestShutdown();

        var deadline = DateTime.UtcNow + (timeout ?? _options.ShutdownTimeout);
        while (_connections.Count > 0 && DateTime.UtcNow < deadline)
            await Task.Delay(20).ConfigureAwait(false);

        foreach (var connection in _connections.Snapshot())
            connection.Abort(ConnectionEndReason.ServerShutdown);
        var dropDeadline = DateTime.UtcNow + TimeSpan.FromSeconds(2);
        while (_connections.Count > 0 && DateTime.UtcNow < dropDeadline)
            await Task.Delay(10).ConfigureAwait(false);

        if (_loops is not null)
        {
            foreach (var loop in _loops) loop.Dispose();
            _loops = null;
        }
    }

    public async ValueTask DisposeAsync() => await StopAsync().ConfigureAwait(false);
}
