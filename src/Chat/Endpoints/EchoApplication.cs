using System.Buffers;
using FastRealtime.Transport.Http;
using FastRealtime.Transport.Server;
using FastRealtime.Transport.WebSockets;

namespace FastRealtime.Chat.Endpoints;

/// <summary>/echo: every message straight back, text as text and binary as binary (conformance and benchmarks).</summary>
public sealed class EchoApplication : IWebSocketApplication
{
    public void OnOpen(WebSocketSession session, HttpRequestHead request) { }

    public void OnMessage(WebSocketSession session, WebSocketMessageKind kind, in ReadOnlySequence<byte> payload) =>
        session.Send(kind, payload);

    public void OnClose(WebSocketSession session, ushort code) { }
}
