namespace FastRealtime.Transport.EngineIO;

/// <summary>Engine.IO v4 server options. Every limit has a safe default; the heartbeat values are sent to the client in the open packet.</summary>
public sealed class EngineIoOptions
{
    /// <summary>How often the server pings (engine.io-protocol v4 "pingInterval"). Default 25 s.</summary>
    public TimeSpan PingInterval { get; set; } = TimeSpan.FromMilliseconds(25_000);

    /// <summary>How long the server waits for the pong before closing with "ping timeout". Default 20 s.</summary>
    public TimeSpan PingTimeout { get; set; } = TimeSpan.FromMilliseconds(20_000);

    /// <summary>Largest packet (WebSocket message) or HTTP long-polling body accepted, in bytes; announced as "maxPayload". Default 1,000,000.</summary>
    public int MaxPayload { get; set; } = 1_000_000;

    /// <summary>Packets waiting for the next long-poll of one session; past it the session is closed ("too many buffered packets"). Default 1,000.</summary>
    public int MaxBufferedPackets { get; set; } = 1_000;

    /// <summary>Time between the probe WebSocket opening and the client's upgrade packet; past it the probe is closed. Default 10 s.</summary>
    public TimeSpan UpgradeTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Offer the polling → WebSocket upgrade in the open packet. Default true.</summary>
    public bool AllowUpgrades { get; set; } = true;

    /// <summary>Most live sessions; a handshake beyond it is refused (503). Default 100,000.</summary>
    public int MaxSessions { get; set; } = 100_000;

    /// <summary>
    /// Origins allowed to make cross-origin polling requests (echoed in Access-Control-Allow-Origin, with credentials).
    /// Null: no CORS headers (same-origin and non-browser clients only). "*" in the list: any origin.
    /// </summary>
    public IReadOnlyCollection<string>? CorsOrigins { get; set; }

    /// <summary>Send Access-Control-Allow-Credentials: true with an allowed origin. Default true.</summary>
    public bool CorsCredentials { get; set; } = true;
}
