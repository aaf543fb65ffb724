using FastRealtime.Transport.Http;
using FastRealtime.Transport.WebSockets;

namespace FastRealtime.Transport.Server;

/// <summary>The protocol limits and timeouts of the HTTP/WebSocket server. Every limit has a safe default.</summary>
public sealed class WebSocketServerOptions
{
    public HttpLimits Http { get; set; } = new();

    public WebSocketLimits WebSocket { get; set; } = new();

    public WebSocketHandshakeOptions Handshake { get; set; } = new();

    /// <summary>Quiet time after which the server pings a WebSocket peer. Default 30 s.</summary>
    public TimeSpan PingInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Time without any bytes from the peer after which the connection is dropped (1006). Default 75 s.</summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromSeconds(75);

    /// <summary>How long the server waits for the peer's close frame after sending its own. Default 5 s.</summary>
    public TimeSpan CloseTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Time an idle keep-alive HTTP connection is kept between requests. Default 10 s.</summary>
    public TimeSpan KeepAliveTimeout { get; set; } = TimeSpan.FromSeconds(10);
}
