using System.Net.WebSockets;

namespace KestrelPeer;

/// <summary>Shared close handling for both endpoints.</summary>
public static class SocketClose
{
    /// <summary>Completes the close handshake the client started by echoing its status.</summary>
    public static Task ReplyAsync(WebSocket socket) =>
        socket.State == WebSocketState.CloseReceived
            ? socket.CloseOutputAsync(socket.CloseStatus ?? WebSocketCloseStatus.NormalClosure, socket.CloseStatusDescription, CancellationToken.None)
            : Task.CompletedTask;

    /// <summary>Resets, aborts and cancellations are how clients leave a benchmark; they are not errors.</summary>
    public static bool IsDisconnect(Exception e) =>
        e is WebSocketException or OperationCanceledException or IOException or ObjectDisposedException;
}
