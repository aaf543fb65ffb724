using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using FastRealtime.Core.Connections;
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
    private readonly ConcurrentDictionary<long, Connection> _connections = new();
    private readonly ConnectionsPerIpLimiter _perIp;
    private readonly Action<Connection> _onConnectionEnded;
    private Socket? _listenSocket;
    private Task _acceptLoop = Task.CompletedTask;
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
    }

    public ServerMetrics Metrics { get; }

    public TimerWheel TimerWheel { get; }

    /// <summary>The bound address (with the real port when the options asked for port 0).</summary>
    public IPEndPoint LocalEndPoint => (IPEndPoint)(_listenSocket?.LocalEndPoint ?? throw new InvalidOperationException("The server is not started."));

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
        _acceptLoop = AcceptLoopAsync(socket);
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
        var remote = (socket.RemoteEndPoint as IPEndPoint)?.Address ?? IPAddress.None;
        if (_connections.Count >= _options.MaxConnections || !_perIp.TryAcquire(remote))
        {
            Metrics.ConnectionRejected();
            socket.Close(0);
            return;
        }
        socket.NoDelay = true;
        var connection = new Connection(socket, _options.Connection, Metrics, TimerWheel, _logger);
        connection.Ended += _onConnectionEnded;
        _connections[connection.Id] = connection;
        if (_stopping) connection.Abort(ConnectionEndReason.ServerShutdown);
        connection.Start(_handler);
    }

    private void OnConnectionEnded(Connection connection)
    {
        _connections.TryRemove(connection.Id, out _);
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
        _listenSocket?.Close();
        await _acceptLoop.ConfigureAwait(false);

        foreach (var connection in _connections.Values)
            connection.RequestShutdown();

        var deadline = DateTime.UtcNow + (timeout ?? _options.ShutdownTimeout);
        while (!_connections.IsEmpty && DateTime.UtcNow < deadline)
            await Task.Delay(20).ConfigureAwait(false);

        foreach (var connection in _connections.Values)
            connection.Abort(ConnectionEndReason.ServerShutdown);
        var dropDeadline = DateTime.UtcNow + TimeSpan.FromSeconds(2);
        while (!_connections.IsEmpty && DateTime.UtcNow < dropDeadline)
            await Task.Delay(10).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync() => await StopAsync().ConfigureAwait(false);
}
