namespace FastRealtime.Transport.WebSockets;

/// <summary>
/// Outcome of validating a client's opening handshake: either accepted (101, with the Sec-WebSocket-Accept value and
/// the negotiated subprotocol) or rejected with the status to answer (400, 403, 426) and a short reason.
/// </summary>
public readonly struct WebSocketHandshakeResult
{
    private readonly IReadOnlyList<string>? _requestedExtensions;
    private readonly IReadOnlyList<string>? _requestedSubprotocols;

    private WebSocketHandshakeResult(int statusCode, string? error, string? acceptKey, string? subprotocol,
        IReadOnlyList<string>? requestedSubprotocols, IReadOnlyList<string>? requestedExtensions)
    {
        StatusCode = statusCode;
        Error = error;
        AcceptKey = acceptKey;
        Subprotocol = subprotocol;
        _requestedSubprotocols = requestedSubprotocols;
        _requestedExtensions = requestedExtensions;
    }

    /// <summary>True when the upgrade is accepted (StatusCode 101).</summary>
    public bool Success => StatusCode == 101;

    /// <summary>101 on success; 400 (malformed), 403 (origin refused) or 426 (unsupported version) otherwise.</summary>
    public int StatusCode { get; }

    /// <summary>Why the handshake was refused; null on success.</summary>
    public string? Error { get; }

    /// <summary>Sec-WebSocket-Accept value (28 base64 chars) on success.</summary>
    public string? AcceptKey { get; }

    /// <summary>Subprotocol chosen by <see cref="WebSocketHandshakeOptions.SelectSubprotocol"/>, or null.</summary>
    public string? Subprotocol { get; }

    /// <summary>Sec-WebSocket-Protocol values offered by the client, in order.</summary>
    public IReadOnlyList<string> RequestedSubprotocols => _requestedSubprotocols ?? [];

    /// <summary>Sec-WebSocket-Extensions offers as sent, one element per offer with its parameters
    /// (e.g. "permessage-deflate; client_max_window_bits"). Negotiation is the caller's job.</summary>
    public IReadOnlyList<string> RequestedExtensions => _requestedExtensions ?? [];

    internal static WebSocketHandshakeResult Accepted(string acceptKey, string? subprotocol,
        IReadOnlyList<string> requestedSubprotocols, IReadOnlyList<string> requestedExtensions) =>
        new(101, null, acceptKey, subprotocol, requestedSubprotocols, requestedExtensions);

    internal static WebSocketHandshakeResult Rejected(int statusCode, string error) =>
        new(statusCode, error, null, null, null, null);

    public override string ToString() => Success ? $"101 accept={AcceptKey} protocol={Subprotocol}" : $"{StatusCode} {Error}";
}
