namespace FastRealtime.Chat.Gateways;

/// <summary>Called once after every gateway of the server is built (NestJS <c>afterInit</c>).</summary>
public interface IAfterGatewayInit
{
    void AfterInit(GatewayNamespace server);
}

/// <summary>
/// Called when a client connected and passed the connection guards, before any of its messages is handled
/// (messages that arrive meanwhile wait their turn).
/// </summary>
public interface IOnGatewayConnection
{
    ValueTask HandleConnection(GatewayClient client);
}

/// <summary>
/// Called once when a client that was connected goes away, after its last message was handled. The client has
/// already left every room and the user registry, so emits to its rooms reach only the others.
/// </summary>
public interface IOnGatewayDisconnect
{
    ValueTask HandleDisconnect(GatewayClient client);
}
