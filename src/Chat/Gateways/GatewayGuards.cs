using System.Reflection;
using System.Text.Json;
using FastRealtime.Transport.Http;

namespace FastRealtime.Chat.Gateways;

/// <summary>
/// Decides whether a handler runs for a message. False answers <c>exception</c> "Forbidden resource";
/// throwing <see cref="WsException"/> answers its message. The connection stays open either way.
/// </summary>
/// <remarks>Called on the client's message sequence, one message at a time per client; shared by all clients.</remarks>
public interface IGatewayGuard
{
    ValueTask<bool> CanActivate(GatewayExecutionContext context);
}

/// <summary>
/// Decides whether a client may connect (authentication: read the handshake, then <see cref="GatewayClient.Authenticate"/>).
/// False or a <see cref="WsException"/> sends <c>exception</c> and closes the connection (1008 on WebSocket).
/// </summary>
public interface IGatewayConnectionGuard
{
    ValueTask<bool> CanConnect(GatewayConnectionContext context);
}

/// <summary>
/// A connection guard that can decide from the HTTP handshake alone (headers, query). On plain WebSocket it runs before
/// the upgrade, so a refused client gets an HTTP error (e.g. 401) and never a 101; <see cref="IGatewayConnectionGuard.CanConnect"/>
/// still runs after the upgrade (and is all Socket.IO uses: its Engine.IO handshake is shared by every namespace).
/// </summary>
/// <remarks>Called synchronously on the connection's receive path: no I/O, no waiting.</remarks>
public interface IGatewayHandshakeGuard
{
    /// <summary>Null admits; a refusal is answered with its status and the JSON body <c>{"message": ...}</c>.</summary>
    GatewayHandshakeRefusal? Authorize(HttpRequestHead request);
}

/// <summary>
/// Why an upgrade is refused: the HTTP status (401, 403), a short human message and, for 401, the
/// <c>WWW-Authenticate</c> challenge (RFC 9110 §11.6.1 requires one on every 401; e.g. "Bearer").
/// </summary>
public readonly record struct GatewayHandshakeRefusal(int StatusCode, string Message, string? Challenge = null);

/// <summary>What a message guard knows: who sent which event to which handler.</summary>
public readonly struct GatewayExecutionContext(GatewayClient client, string @event, Type gatewayType, MethodInfo handler)
{
    public GatewayClient Client { get; } = client;
    public string Event { get; } = @event;
    public Type GatewayType { get; } = gatewayType;
    public MethodInfo Handler { get; } = handler;
}

/// <summary>What a connection guard knows: the new client, the handshake request (headers, query) and the auth payload.</summary>
public readonly struct GatewayConnectionContext(GatewayClient client, HttpRequestHead? request, JsonElement? auth = null)
{
    public GatewayClient Client { get; } = client;

    /// <summary>
    /// The HTTP request that opened the connection (Socket.IO: the Engine.IO handshake, shared by the session's namespaces);
    /// null for transports that have none.
    /// </summary>
    public HttpRequestHead? Request { get; } = request;

    /// <summary>Socket.IO's CONNECT payload (the client's <c>auth</c> option, e.g. <c>{"token": ...}</c>); null on plain WebSocket.</summary>
    public JsonElement? Auth { get; } = auth;
}
