namespace FastRealtime.Transport.WebSockets;

/// <summary>Server-side policy for the RFC 6455 §4.2 opening handshake.</summary>
public sealed class WebSocketHandshakeOptions
{
    /// <summary>
    /// Origins allowed to connect (exact match, case-insensitive, e.g. "https://chat.example.com"); null allows any.
    /// A request without Origin is allowed: non-browser clients do not send it, and Origin only guards against
    /// cross-site use of a browser's ambient credentials (RFC 6455 §10.2). A mismatch is answered with 403.
    /// </summary>
    public IReadOnlyCollection<string>? AllowedOrigins { get; set; }

    /// <summary>
    /// Picks one of the client's Sec-WebSocket-Protocol values (in the client's order of preference), or null to
    /// select none. Not called when the client offers none. Returning a value the client did not offer is a bug
    /// and throws <see cref="InvalidOperationException"/> from <see cref="WebSocketHandshake.Validate"/>.
    /// </summary>
    public Func<IReadOnlyList<string>, string?>? SelectSubprotocol { get; set; }
}
