using FastRealtime.Transport.Http;

namespace FastRealtime.Transport.EngineIO;

/// <summary>What runs on top of Engine.IO sessions (Socket.IO).</summary>
/// <remarks>
/// Calls for one session never overlap (a session's incoming packets are handled one at a time, in order), and
/// <see cref="OnClose"/> is the last call for a session. Called on the receive path (an HTTP request or the WebSocket's
/// receive loop): return quickly and hand long work elsewhere.
/// </remarks>
public interface IEngineIoHandler
{
    /// <summary>A session was opened; <paramref name="request"/> (the handshake) is valid only during this call.</summary>
    void OnOpen(EngineIoSession session, HttpRequestHead request);

    /// <summary>A "message" packet; <paramref name="data"/> is valid only during this call.</summary>
    void OnMessage(EngineIoSession session, ReadOnlySpan<byte> data, bool isBinary);

    /// <summary>The session ended ("transport close", "ping timeout", "forced close", "parse error", ...).</summary>
    void OnClose(EngineIoSession session, string reason);
}

/// <summary>The transport a session currently uses.</summary>
public enum EngineIoTransport : byte
{
    Polling,
    WebSocket,
}
