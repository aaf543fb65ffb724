namespace FastRealtime.Transport.WebSockets;

/// <summary>
/// Which end of the connection this endpoint is. RFC 6455 §5.1: a client masks every frame it sends and
/// a server never does; each side closes with 1002 when the peer breaks that rule.
/// </summary>
public enum WebSocketRole : byte
{
    /// <summary>Requires masked input (else 1002) and writes unmasked frames.</summary>
    Server,

    /// <summary>Rejects masked input (1002) and masks every frame it writes.</summary>
    Client,
}
