using FastRealtime.Core.Connections;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace FastRealtime.Transport.Server;

/// <summary>Runs HTTP/1.1 (and WebSocket after an upgrade) on every accepted connection.</summary>
public sealed class HttpConnectionHandler(EndpointRouter router, WebSocketServerOptions options, ILogger? logger = null) : IConnectionHandler
{
    private readonly ILogger _logger = logger ?? NullLogger.Instance;

    public void OnConnected(Connection connection) => _ = new HttpConnection(connection, router, options, _logger);
}
