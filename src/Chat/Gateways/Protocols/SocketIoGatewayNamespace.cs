using System.Text;
using System.Text.Json;
using FastRealtime.Chat.SocketIO;
using FastRealtime.Transport;

namespace FastRealtime.Chat.Gateways.Protocols;

/// <summary>
/// Serves one gateway namespace on Socket.IO: a CONNECT to it makes a <see cref="GatewayClient"/> of that namespace, so
/// Socket.IO clients share the handlers, guards, rooms and users of the plain-WebSocket ones.
/// </summary>
internal sealed class SocketIoGatewayNamespace : ISocketIoNamespaceBinding
{
    private readonly GatewayNamespace _namespace;

    public SocketIoGatewayNamespace(GatewayNamespace @namespace)
    {
        // A Socket.IO client changes protocol on upgrade (polling, then WebSocket): both formats must exist up front.
        @namespace.RequireWireFormat(WireProtocols.SocketIoPolling);
        @namespace.RequireWireFormat(WireProtocols.SocketIoWebSocket);
        _namespace = @namespace;
        NameUtf8 = Encoding.UTF8.GetBytes(@namespace.Name);
    }

    public string Name => _namespace.Name;

    public byte[] NameUtf8 { get; }

    public void Connect(SocketIoClient client, JsonElement? auth) => SocketIoGatewaySocket.Connect(client, _namespace, NameUtf8, auth);
}
