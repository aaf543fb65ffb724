using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace FastRealtime.Chat.Gateways.Dispatch;

/// <summary>One <see cref="SubscribeMessageAttribute"/> method, bound at start-up: guards, payload reader, validator, call, reply.</summary>
internal abstract class HandlerBinding(string @event, Type gatewayType, MethodInfo method, IGatewayGuard[] guards)
{
    public string Event { get; } = @event;
    public Type GatewayType { get; } = gatewayType;
    public MethodInfo Method { get; } = method;
    public IGatewayGuard[] Guards { get; } = guards;

    /// <summary>
    /// Reads and validates the payload, calls the handler and sends its reply. Synchronous failures throw (the
    /// dispatcher answers them); once the work goes asynchronous it answers its own failures.
    /// </summary>
    public abstract ValueTask Invoke(GatewayClient client, ReadOnlySpan<byte> data, ReadOnlySpan<byte> ackId);

    public string Describe() => $"{GatewayType.Name}.{Method.Name}";
}

/// <summary>Stands for "no payload parameter" and "no return value" in the generic bindings.</summary>
internal readonly struct Nothing;

internal sealed class HandlerBinding<TPayload, TResult>(
    string @event, Type gatewayType, MethodInfo method, IGatewayGuard[] guards,
    object gateway,
    Func<object, TPayload, GatewayClient, CancellationToken, TResult> call,
    JsonTypeInfo<TPayload>? payloadType,
    PayloadValidator? validator,
    bool wantsCancellation,
    ReplyStrategy<TResult> reply)
    : HandlerBinding(@event, gatewayType, method, guards)
{
    public override ValueTask Invoke(GatewayClient client, ReadOnlySpan<byte> data, ReadOnlySpan<byte> ackId)
    {
        TPayload payload = default!;
        if (payloadType is not null)
        {
            if (!TryRead(data, payloadType, out payload, out string? readError))
            {
                GatewayExceptionReply.Send(client, Event, ackId, data, readError);
                return default;
            }
            if (validator?.Validate(payload) is { } invalid)
            {
                GatewayExceptionReply.Send(client, Event, ackId, data, invalid);
                return default;
            }
        }
        var result = call(gateway, payload, client, wantsCancellation ? client.Disconnected : default);
        return reply.Complete(client, Event, result, ackId, data);
    }

    private static bool TryRead(ReadOnlySpan<byte> data, JsonTypeInfo<TPayload> typeInfo, out TPayload payload, [NotNullWhen(false)] out string? error)
    {
        try
        {
            payload = JsonSerializer.Deserialize(data, typeInfo)!;
            error = null;
            return true;
        }
        catch (JsonException e)
        {
            // System.Text.Json reports bad input only by throwing; this is the cold path of a bad request.
            payload = default!;
            error = $"Invalid payload: '{FieldName(e.Path)}' has the wrong type or format";
            return false;
        }
    }

    // "$.room.name" → "room.name"; "$" → "data".
    private static string FieldName(string? path) =>
        path is null or "$" ? "data" : path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');
}
