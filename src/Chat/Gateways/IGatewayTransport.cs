using FastRealtime.Core.Buffers;
using FastRealtime.Core.Connections;

namespace FastRealtime.Chat.Gateways;

/// <summary>One client's connection as a gateway sees it, whatever the wire protocol (plain WebSocket, Socket.IO, ...).</summary>
/// <remarks>Thread safety: <see cref="Send"/> and <see cref="Close"/> are called from any thread and must not block.</remarks>
public interface IGatewayTransport
{
    /// <summary>Which <see cref="IGatewayWireFormat"/> frames this client's packets (<see cref="Transport.WireProtocols"/>).</summary>
    int ProtocolIndex { get; }

    /// <summary>Queues a complete frame built by this protocol's wire format; takes its own reference.</summary>
    SendResult Send(SharedBuffer frame, bool isVolatile);

    /// <summary>
    /// The connection guards passed and the client is being admitted, before it joins the namespace and before the
    /// connection hooks run: a protocol with a connect handshake of its own answers it here (Socket.IO's CONNECT <c>{sid}</c>).
    /// Nothing by default (the WebSocket handshake already answered).
    /// </summary>
    void Admitted() { }

    /// <summary>Ends the connection; <paramref name="policyViolation"/> when the server refuses the client (WebSocket 1008).</summary>
    void Close(string reason, bool policyViolation);
}
