namespace FastRealtime.Chat.Gateways;

/// <summary>
/// A handler result sent as the event it names (NestJS <c>WsResponse</c>): returning <c>new WsResponse&lt;int&gt;("events", 1)</c>
/// sends <c>{"event":"events","data":1}</c>; returning an <c>IEnumerable&lt;WsResponse&lt;T&gt;&gt;</c> sends each in order.
/// </summary>
public readonly record struct WsResponse<T>(string Event, T Data);
