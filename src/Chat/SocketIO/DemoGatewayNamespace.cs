using System.Text.Json;

namespace FastRealtime.Chat.SocketIO;

/// <summary>
/// The seed 001 demo gateway on Socket.IO's main namespace "/" (shared/spec/chat-protocol.md): <c>identity</c> answers its
/// ack with its arguments unchanged (binary attachments included); <c>events</c> emits <c>events</c> 1, 2, 3 to the sender.
/// </summary>
/// <remarks>
/// Adapter seam: until the gateway framework (src/Chat/Gateways) binds gateways to namespaces, this hand-written
/// <see cref="ISocketIoNamespace"/> stands in for the demo gateway; a gateway binding replaces it one for one.
/// </remarks>
public sealed class DemoGatewayNamespace : ISocketIoNamespace
{
    private static readonly byte[] s_events = "\"events\""u8.ToArray();

    public ValueTask OnConnect(SocketIoSocket socket, JsonElement? auth) => ValueTask.CompletedTask;

    public void OnEvent(SocketIoSocket socket, in SocketIoEvent message)
    {
        if (message.NameIs("identity"u8))
        {
            if (message.WantsAck) socket.AckRaw(message.AckId, message.Arguments.Joined, message.Attachments);
        }
        else if (message.NameIs("events"u8))
        {
            socket.EmitRaw(s_events, "1"u8);
            socket.EmitRaw(s_events, "2"u8);
            socket.EmitRaw(s_events, "3"u8);
        }
    }

    public void OnDisconnect(SocketIoSocket socket, string reason) { }
}
