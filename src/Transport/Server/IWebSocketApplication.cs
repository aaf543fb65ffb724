using System.Buffers;
using FastRealtime.Transport.Http;
using FastRealtime.Transport.WebSockets;

namespace FastRealtime.Transport.Server;

/// <summary>
/// What runs on the WebSocket connections of one endpoint. Called on the connection's receive path, one call at a
/// time per session: return quickly, and hand long work elsewhere.
/// </summary>
public interface IWebSocketApplication
{
    /// <summary>Decides whether the upgrade may proceed (auth, and the like). Null accepts; a status code (401, 403) refuses.</summary>
    int? Authorize(HttpRequestHead request) => null;

    /// <summary>
    /// Like <see cref="Authorize"/>, with the whole refusal to send (e.g. a JSON reason a browser can show). Null accepts.
    /// The default answers <see cref="Authorize"/>'s status with its reason phrase; the server calls only this one.
    /// </summary>
    HttpResponse? AuthorizeUpgrade(HttpRequestHead request) =>
        Authorize(request) is int status ? HttpResponse.Text(status, HttpResponseWriter.ReasonPhrase(status)) : null;

    /// <summary>The handshake has completed; <paramref name="request"/> is valid only during this call.</summary>
    void OnOpen(WebSocketSession session, HttpRequestHead request);

    /// <summary>A complete message; <paramref name="payload"/> is valid only during this call.</summary>
    void OnMessage(WebSocketSession session, WebSocketMessageKind kind, in ReadOnlySequence<byte> payload);

    /// <summary>The session ended; <paramref name="code"/> is the close code received, sent, or 1006 when the TCP connection just went away.</summary>
    void OnClose(WebSocketSession session, ushort code);
}
