using System.Text;
using System.Text.Json;
using FastRealtime.Chat.SocketIO;
using FastRealtime.Core.Rooms;

namespace FastRealtime.Chat.Endpoints;

/// <summary>
/// Socket.IO namespace <c>/bench</c>: the room-broadcast convention every Socket.IO server in bench/compare implements
/// (the Node socket.io peer on its main namespace): <c>join(room)</c> with an ack, <c>broadcast(room, payload)</c> →
/// <c>broadcast(payload)</c> to every member of the room, sender included; <c>?room=NAME</c> on the handshake joins too.
/// </summary>
/// <remarks>The payload is re-emitted as the raw JSON it arrived as and framed once per wire form for the whole room.</remarks>
public sealed class BenchmarkSocketIoNamespace : ISocketIoNamespace
{
    public const string Name = "/bench";

    private static readonly byte[] QuotedBroadcast = Encoding.UTF8.GetBytes("\"broadcast\"");
    private static readonly byte[] AckOk = Encoding.UTF8.GetBytes("\"ok\"");

    public ValueTask OnConnect(SocketIoSocket socket, JsonElement? auth)
    {
        if (socket.Handshake.GetQueryValue("room") is { Length: > 0 } room) socket.Join(room);
        return ValueTask.CompletedTask;
    }

    public void OnEvent(SocketIoSocket socket, in SocketIoEvent message)
    {
        var arguments = message.Arguments;
        if (arguments.Count == 0) return;
        if (message.NameIs("join"u8))
        {
            if (RoomName(arguments[0]) is { } room) socket.Join(room);
            if (message.WantsAck) socket.AckRaw(message.AckId, AckOk);
        }
        else if (message.NameIs("broadcast"u8) && arguments.Count >= 2 && RoomName(arguments[0]) is { } room)
        {
            socket.Namespace.EmitRaw(BroadcastTarget.ToRoom(room), QuotedBroadcast, arguments[1]);
        }
    }

    public void OnDisconnect(SocketIoSocket socket, string reason) { }

    // Room names arrive as JSON strings; anything else is not a room.
    private static string? RoomName(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        return reader.Read() && reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
    }
}
