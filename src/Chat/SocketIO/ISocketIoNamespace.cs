using System.Text.Json;

namespace FastRealtime.Chat.SocketIO;

/// <summary>
/// The application behind one Socket.IO namespace (the seam a gateway binds to). One instance serves every socket of
/// the namespace.
/// </summary>
/// <remarks>
/// Calls for one socket never overlap and arrive in the client's order. They run on the receive path: return
/// quickly; <see cref="OnEvent"/> gets views that end with the call (copy with <see cref="SocketIoEvent.ToOwned"/> to go async).
/// </remarks>
public interface ISocketIoNamespace
{
    /// <summary>
    /// A client asks to join the namespace (the CONNECT packet, with its <c>auth</c> payload). Completing accepts; throwing
    /// refuses with CONNECT_ERROR <c>{"message": exception.Message}</c> (<see cref="SocketIoConnectException"/> adds <c>data</c>).
    /// </summary>
    ValueTask OnConnect(SocketIoSocket socket, JsonElement? auth);

    /// <summary>An EVENT or BINARY_EVENT from the socket. Answer an ack with <see cref="SocketIoSocket.Ack(long, object?[])"/>.</summary>
    void OnEvent(SocketIoSocket socket, in SocketIoEvent message);

    /// <summary>The socket left the namespace ("client namespace disconnect", "transport close", "ping timeout", ...). Its rooms are already left.</summary>
    void OnDisconnect(SocketIoSocket socket, string reason);
}

/// <summary>Refuses a connection with CONNECT_ERROR <c>{"message": Message, "data": Data}</c>.</summary>
public sealed class SocketIoConnectException(string message, object? data = null) : Exception(message)
{
    public object? ErrorData { get; } = data;
}
