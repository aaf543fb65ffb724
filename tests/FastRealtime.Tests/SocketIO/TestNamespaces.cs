using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using FastRealtime.Chat.SocketIO;
using FastRealtime.Core.Rooms;

namespace FastRealtime.Tests.SocketIO;

/// <summary>"/test": the behaviours the interop scenarios exercise, and the reasons sockets left with.</summary>
internal sealed class TestNamespace : ISocketIoNamespace
{
    private static readonly byte[] s_seq = "\"seq\""u8.ToArray();

    public ConcurrentDictionary<string, string> DisconnectReasons { get; } = new();

    public ValueTask OnConnect(SocketIoSocket socket, JsonElement? auth) => ValueTask.CompletedTask;

    public void OnEvent(SocketIoSocket socket, in SocketIoEvent message)
    {
        var args = message.Arguments;
        if (message.NameIs("identity")) socket.AckRaw(message.AckId, args.Joined, message.Attachments);
        else if (message.NameIs("whoami")) socket.Ack(message.AckId, socket.Namespace.Name);
        else if (message.NameIs("burst"))
        {
            int count = int.Parse(Encoding.UTF8.GetString(args[0]));
            Span<byte> number = stackalloc byte[12];
            for (int i = 0; i < count; i++)
            {
                i.TryFormat(number, out int written);
                socket.EmitRaw(s_seq, number[..written]);
            }
        }
        else if (message.NameIs("ask")) _ = AskAsync(socket, JsonSerializer.Deserialize<string>(args[0])!);
        else if (message.NameIs("join")) Answer(socket, message.AckId, socket.Join(Text(args[0])).ToString());
        else if (message.NameIs("leave")) Answer(socket, message.AckId, socket.Leave(Text(args[0])));
        else if (message.NameIs("to-room"))
        {
            socket.Namespace.Emit(BroadcastTarget.ToRoom(Text(args[0])).Except(socket), "room-message", JsonDocument.Parse(args[1].ToArray()).RootElement);
            Answer(socket, message.AckId, true);
        }
        else if (message.NameIs("send-binary")) socket.Emit("binary", new byte[] { 1, 2, 3 }, "three bytes");
        else if (message.NameIs("drop")) socket.Connection.Close("forced close");
        else if (message.NameIs("kick")) socket.Disconnect();
    }

    private static string Text(ReadOnlySpan<byte> json) => JsonSerializer.Deserialize<string>(json)!;

    private static void Answer(SocketIoSocket socket, long ackId, object value)
    {
        if (ackId >= 0) socket.Ack(ackId, value);
    }

    private static async Task AskAsync(SocketIoSocket socket, string question)
    {
        try
        {
            var response = await socket.EmitWithAck("question", TimeSpan.FromSeconds(1), question);
            socket.Emit("answered", response.Arguments[0]);
        }
        catch (TimeoutException)
        {
            socket.Emit("answered", "timeout");
        }
    }

    public void OnDisconnect(SocketIoSocket socket, string reason) => DisconnectReasons[socket.Id] = reason;
}

/// <summary>"/private": auth in the CONNECT payload, checked asynchronously.</summary>
internal sealed class PrivateNamespace : ISocketIoNamespace
{
    public async ValueTask OnConnect(SocketIoSocket socket, JsonElement? auth)
    {
        await Task.Yield();
        if (auth is not { } a || !a.TryGetProperty("token", out var token) || token.GetString() != "good")
            throw new SocketIoConnectException("Not authorized", new { code = 401 });
        socket.Data = "user-good";
    }

    public void OnEvent(SocketIoSocket socket, in SocketIoEvent message)
    {
        if (message.NameIs("whoami")) socket.Ack(message.AckId, socket.Data);
    }

    public void OnDisconnect(SocketIoSocket socket, string reason) { }
}

/// <summary>"/chat" as seed 002's front-end expects it (a test-local stand-in for the chat gateway; token "token-NAME").</summary>
internal sealed class SeedChatNamespace : ISocketIoNamespace
{
    private readonly ConcurrentDictionary<string, List<object>> _history = new();

    public ValueTask OnConnect(SocketIoSocket socket, JsonElement? auth)
    {
        string? token = auth is { } a && a.TryGetProperty("token", out var t) ? t.GetString() : null;
        if (token is null || !token.StartsWith("token-", StringComparison.Ordinal)) throw new SocketIoConnectException("Unauthorized");
        socket.Data = token["token-".Length..];
        return ValueTask.CompletedTask;
    }

    public void OnEvent(SocketIoSocket socket, in SocketIoEvent message)
    {
        var data = message.ToOwned();
        var payload = data.Arguments.First();
        string roomId = payload.GetProperty("roomId").GetString()!;
        string user = (string)socket.Data!;
        switch (data.Name)
        {
            case "chat:join-room":
                socket.Join(roomId);
                var users = socket.Namespace.Rooms.GetMembers(roomId).ToArray()
                    .Select(m => ((SocketIoSocket)m).Data as string).Select(name => new { userId = name, userName = name });
                var history = _history.GetOrAdd(roomId, _ => []);
                lock (history) socket.Ack(data.AckId, new { roomId, users, recentMessages = history.ToArray() });
                break;
            case "chat:send-message":
                var sent = new { id = Guid.NewGuid().ToString(), userId = user, userName = user, roomId, text = payload.GetProperty("text").GetString(), sentAt = DateTime.UtcNow.ToString("O") };
                var messages = _history.GetOrAdd(roomId, _ => []);
                lock (messages) messages.Add(sent);
                socket.Namespace.Emit(BroadcastTarget.ToRoom(roomId).Except(socket), "chat:message", sent);
                if (data.AckId >= 0) socket.Ack(data.AckId, new { sent.id, status = "delivered", sent.sentAt });
                break;
            case "chat:typing-start":
                socket.Namespace.Emit(BroadcastTarget.ToRoom(roomId).Except(socket), "chat:typing", new { userId = user, userName = user, roomId, isTyping = true });
                break;
        }
    }

    public void OnDisconnect(SocketIoSocket socket, string reason) { }
}

/// <summary>"/notifications": greets every new socket with a notification.</summary>
internal sealed class SeedNotificationsNamespace : ISocketIoNamespace
{
    public ValueTask OnConnect(SocketIoSocket socket, JsonElement? auth)
    {
        socket.Emit("notification:new", new { id = "n1", type = "info", title = "Bienvenido", message = "Conectado", createdAt = DateTime.UtcNow.ToString("O") });
        return ValueTask.CompletedTask;
    }

    public void OnEvent(SocketIoSocket socket, in SocketIoEvent message) { }

    public void OnDisconnect(SocketIoSocket socket, string reason) { }
}
