using System.Buffers;
using FastRealtime.Transport.Http;
using FastRealtime.Transport.Server;
using FastRealtime.Transport.WebSockets;

namespace FastRealtime.Transport.EngineIO;

/// <summary>
/// The WebSocket side of <see cref="EngineIoServer"/>: a WebSocket without sid is a new session on the WebSocket
/// transport (<c>transports: ['websocket']</c>); one with the sid of a polling session is the probe of its upgrade.
/// </summary>
internal sealed class EngineIoWebSocketApplication(EngineIoServer server) : IWebSocketApplication
{
    public int? Authorize(HttpRequestHead request) => server.ValidateWebSocket(request);

    public void OnOpen(WebSocketSession webSocket, HttpRequestHead request)
    {
        if (request.GetQueryValue("sid") is { } sid)
        {
            // Validated in Authorize, but the session may have ended since.
            if (server.FindSession(sid) is { } polling && polling.TryAttachProbe(webSocket)) webSocket.State = polling;
            else webSocket.Close(WebSocketCloseCodes.PolicyViolation, "Session ID unknown");
            return;
        }
        if (!server.TryCreateSession(webSocket, out var session))
        {
            webSocket.Close(1013, "Server at session capacity");
            return;
        }
        webSocket.State = session;
        webSocket.Send(WebSocketMessageKind.Text, server.OpenPacket(session.Id, upgrades: false));
        server.Open(session, request);
    }

    public void OnMessage(WebSocketSession webSocket, WebSocketMessageKind kind, in ReadOnlySequence<byte> payload)
    {
        if (webSocket.State is not EngineIoSession session) return;
        if (payload.IsSingleSegment)
        {
            session.OnWebSocketMessage(webSocket, kind, payload.FirstSpan);
            return;
        }
        int length = checked((int)payload.Length);
        byte[] copy = ArrayPool<byte>.Shared.Rent(length);
        payload.CopyTo(copy);
        try
        {
            session.OnWebSocketMessage(webSocket, kind, copy.AsSpan(0, length));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(copy);
        }
    }

    public void OnClose(WebSocketSession webSocket, ushort code) => (webSocket.State as EngineIoSession)?.OnWebSocketClosed(webSocket);
}

