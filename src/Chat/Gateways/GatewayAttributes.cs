namespace FastRealtime.Chat.Gateways;

/// <summary>
/// Marks a class as a gateway (NestJS <c>@WebSocketGateway</c>): its <see cref="SubscribeMessageAttribute"/> methods
/// handle the events of one namespace. Register it with <c>services.AddGateway&lt;T&gt;()</c>; it is a DI singleton.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class GatewayAttribute : Attribute
{
    /// <summary>"/" (the main namespace) by default; "chat" and "/chat" mean the same namespace.</summary>
    public string Namespace { get; init; } = "/";

    /// <summary>
    /// This namespace's per-client message rate: -1 (default) takes <see cref="GatewayOptions.MaxMessagesPerSecond"/>,
    /// 0 is unlimited (the /bench gateway, whose publishers send as fast as the server takes).
    /// </summary>
    public int MaxMessagesPerSecond { get; init; } = -1;
}

/// <summary>
/// The method handles one event. Parameters, in any order: the payload (any type System.Text.Json can read, camelCase),
/// <see cref="GatewayClient"/>, <see cref="CancellationToken"/> (cancelled when the client disconnects).
/// The return value (plain, Task&lt;T&gt; or ValueTask&lt;T&gt;) is the reply / ack; void, Task and ValueTask reply nothing.
/// </summary>
[AttributeUsage(AttributeTargets.Method, Inherited = false)]
public sealed class SubscribeMessageAttribute(string @event) : Attribute
{
    public string Event { get; } = @event;
}

/// <summary>
/// Guards run before the handlers of the class (or of one method), in order; each type implements
/// <see cref="IGatewayGuard"/> and/or, on a class, <see cref="IGatewayConnectionGuard"/> (then it also runs on connect).
/// Guard instances come from DI (or are created with their constructor dependencies from DI), once at start-up.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method, AllowMultiple = true, Inherited = false)]
public sealed class UseGuardsAttribute(params Type[] guards) : Attribute
{
    public Type[] Guards { get; } = guards;
}
