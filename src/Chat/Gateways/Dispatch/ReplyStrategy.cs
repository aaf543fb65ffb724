using FastRealtime.Chat.Gateways.Serialization;

namespace FastRealtime.Chat.Gateways.Dispatch;

/// <summary>
/// What a handler's return value becomes, chosen once per handler from its return type: nothing, a reply or ack
/// with the value, a <see cref="WsResponse{T}"/> event, a sequence of them, or any of these after a Task completes.
/// </summary>
/// <remarks>
/// A request with an ack id always gets exactly one message carrying that id: the value, or <c>null</c> when the
/// handler returns nothing (so a client awaiting an ack is never left waiting).
/// </remarks>
internal abstract class ReplyStrategy<TResult>
{
    public abstract ValueTask Complete(GatewayClient client, string @event, TResult result, ReadOnlySpan<byte> ackId, ReadOnlySpan<byte> requestData);

    protected static void SendNullAck(GatewayClient client, string @event, ReadOnlySpan<byte> ackId)
    {
        if (ackId.IsEmpty) return;
        client.SendReply(@event, ackId, "null"u8);
    }
}

internal sealed class NoReply<T> : ReplyStrategy<T>
{
    public override ValueTask Complete(GatewayClient client, string @event, T result, ReadOnlySpan<byte> ackId, ReadOnlySpan<byte> requestData)
    {
        SendNullAck(client, @event, ackId);
        return default;
    }
}

/// <summary>A plain value: serialized once and sent as the protocol's reply (NestJS drops null/undefined results).</summary>
internal sealed class ValueReply<T>(GatewayJson json) : ReplyStrategy<T>
{
    private readonly System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> _typeInfo = json.TypeInfo<T>();

    public override ValueTask Complete(GatewayClient client, string @event, T result, ReadOnlySpan<byte> ackId, ReadOnlySpan<byte> requestData)
    {
        if (result is null)
        {
            SendNullAck(client, @event, ackId);
            return default;
        }
        var scratch = json.Serialize(result, _typeInfo);
        try
        {
            client.SendReply(@event, ackId, scratch.WrittenSpan);
        }
        finally
        {
            scratch.Return();
        }
        return default;
    }
}

/// <summary>A <see cref="WsResponse{T}"/>: sent as its own event (answering the ack id when there is one).</summary>
internal sealed class ResponseReply<T>(GatewayJson json) : ReplyStrategy<WsResponse<T>>
{
    private readonly System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> _typeInfo = json.TypeInfo<T>();

    public override ValueTask Complete(GatewayClient client, string @event, WsResponse<T> result, ReadOnlySpan<byte> ackId, ReadOnlySpan<byte> requestData)
    {
        Send(client, result, ackId);
        return default;
    }

    public void Send(GatewayClient client, WsResponse<T> response, ReadOnlySpan<byte> ackId)
    {
        var scratch = json.Serialize(response.Data, _typeInfo);
        try
        {
            client.SendOwned(client.WireFormat.EncodeEvent(client.Namespace.Name, response.Event, ackId, scratch.WrittenSpan));
        }
        finally
        {
            scratch.Return();
        }
    }
}

/// <summary>A sequence of <see cref="WsResponse{T}"/> (the seed's Observable of three events): each sent in order, then the ack.</summary>
internal sealed class ResponsesReply<TSequence, T>(GatewayJson json) : ReplyStrategy<TSequence>
    where TSequence : IEnumerable<WsResponse<T>>
{
    private readonly ResponseReply<T> _one = new(json);

    public override ValueTask Complete(GatewayClient client, string @event, TSequence result, ReadOnlySpan<byte> ackId, ReadOnlySpan<byte> requestData)
    {
        if (result is not null)
            foreach (var response in result) _one.Send(client, response, default);
        SendNullAck(client, @event, ackId);
        return default;
    }
}
