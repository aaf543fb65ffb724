using System.Collections.Concurrent;
using System.Net.WebSockets;

namespace KestrelPeer;

/// <summary>Room broadcast: each complete message is sent to every member of the room in turn, sender included.</summary>
public static class BroadcastEndpoint
{
    private const string DefaultRoom = "default";
    private const int MaxMessageBytes = 1024 * 1024;

    public static async Task HandleAsync(HttpContext context, Rooms rooms)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        var roomName = context.Request.Query["room"].FirstOrDefault();
        if (string.IsNullOrEmpty(roomName)) roomName = DefaultRoom;

        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        var self = new Member(socket);
        var members = rooms.Join(roomName, self);
        try
        {
            await ReceiveLoopAsync(socket, members, context.RequestAborted);
        }
        catch (Exception e) when (SocketClose.IsDisconnect(e))
        {
            // The client went away; nothing to do.
        }
        finally
        {
            Rooms.Leave(members, self);
        }
    }

    private static async Task ReceiveLoopAsync(WebSocket socket, ConcurrentDictionary<Member, byte> members, CancellationToken aborted)
    {
        var buffer = new byte[4 * 1024];
        while (true)
        {
            // Assemble one whole message (a broadcast must not interleave fragments of different senders).
            var count = 0;
            ValueWebSocketReceiveResult result;
            do
            {
                if (count == buffer.Length)
                {
                    if (buffer.Length >= MaxMessageBytes)
                    {
                        await socket.CloseAsync(WebSocketCloseStatus.MessageTooBig, null, CancellationToken.None);
                        return;
                    }
                    Array.Resize(ref buffer, buffer.Length * 2);
                }
                result = await socket.ReceiveAsync(buffer.AsMemory(count), aborted);
                count += result.Count;
            }
            while (!result.EndOfMessage && result.MessageType != WebSocketMessageType.Close);

            if (result.MessageType == WebSocketMessageType.Close)
            {
                await SocketClose.ReplyAsync(socket);
                return;
            }

            // Sends are awaited before the next receive, so the buffer can be reused without a copy.
            var message = buffer.AsMemory(0, count);
            foreach (var member in members)
            {
                await member.Key.SendAsync(message, result.MessageType);
            }
        }
    }
}
