namespace FastRealtime.Transport;

/// <summary>
/// The wire protocols a room member can speak, as the index a broadcast uses to pick its pre-framed bytes
/// (<c>IRoomMember.ProtocolIndex</c>): one encoding per protocol present in a broadcast, never one per recipient.
/// </summary>
/// <remarks>The one place these numbers are defined; they must stay below <c>BroadcastMessage.MaxProtocols</c>.</remarks>
public static class WireProtocols
{
    /// <summary>Plain WebSocket, JSON <c>{"event": name, "data": payload}</c> in text frames (the NestJS WsAdapter convention).</summary>
    public const int WebSocketJson = 0;

    /// <summary>Socket.IO v5 over an Engine.IO v4 WebSocket transport.</summary>
    public const int SocketIoWebSocket = 1;

    /// <summary>Socket.IO v5 over Engine.IO v4 HTTP long-polling.</summary>
    public const int SocketIoPolling = 2;

    /// <summary>Plain WebSocket carrying the sender's bytes unchanged (the /broadcast benchmark endpoint).</summary>
    public const int RawWebSocket = 3;
}
