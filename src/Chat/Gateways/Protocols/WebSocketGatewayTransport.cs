using FastRealtime.Core.Buffers;
using FastRealtime.Core.Connections;
using FastRealtime.Transport;
using FastRealtime.Transport.Server;
using FastRealtime.Transport.WebSockets;

namespace FastRealtime.Chat.Gateways.Protocols;

/// <summary>A gateway client's plain WebSocket session.</summary>
internal sealed class WebSocketGatewayTransport(WebSocketSession session) : IGatewayTransport
{
    public int ProtocolIndex => WireProtocols.WebSocketJson;

    public SendResult Send(SharedBuffer frame, bool isVolatile) => session.SendFramed(frame, isVolatile);

    public void Close(string reason, bool policyViolation) =>
        session.Close(policyViolation ? WebSocketCloseCodes.PolicyViolation : WebSocketCloseCodes.NormalClosure, reason);
}
