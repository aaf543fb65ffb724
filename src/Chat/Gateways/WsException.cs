namespace FastRealtime.Chat.Gateways;

/// <summary>
/// A user error a handler or guard reports to the client: answered as <c>exception</c> with this message
/// (any other exception answers "Internal server error" and is logged). The connection stays open.
/// </summary>
public class WsException(string message) : Exception(message);
