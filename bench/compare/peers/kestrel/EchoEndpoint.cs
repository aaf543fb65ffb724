using System.Net.WebSockets;

namespace KestrelPeer;

/// <summary>The canonical ASP.NET Core echo loop: receive a chunk, send it back with the same type and end flag.</summary>
public static class EchoEndpoint
{
    public static async Task HandleAsync(HttpContext context)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        var buffer = new byte[4 * 1024];
        try
        {
            while (true)
            {
                var result = await socket.ReceiveAsync(buffer.AsMemory(), context.RequestAborted);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    await SocketClose.ReplyAsync(socket);
                    return;
                }

                await socket.SendAsync(buffer.AsMemory(0, result.Count), result.MessageType, result.EndOfMessage, context.RequestAborted);
            }
        }
        catch (Exception e) when (SocketClose.IsDisconnect(e))
        {
            // The client went away; nothing to do.
        }
    }
}
