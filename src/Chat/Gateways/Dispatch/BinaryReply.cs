using FastRealtime.Chat.Gateways.Serialization;

namespace FastRealtime.Chat.Gateways.Dispatch;

/// <summary>
/// A binary return value (<c>byte[]</c>, <c>ReadOnlyMemory&lt;byte&gt;</c>, <c>Memory&lt;byte&gt;</c>, <c>ArraySegment&lt;byte&gt;</c>):
/// a binary attachment where the client's protocol has them (Socket.IO's BINARY_ACK, a Buffer for the client), a
/// base64 string in the JSON elsewhere (what System.Text.Json writes for bytes).
/// </summary>
internal sealed class BinaryReply<T>(GatewayJson json, Func<T, ReadOnlyMemory<byte>> bytesOf) : ReplyStrategy<T>
{
    private static ReadOnlySpan<byte> Placeholder => """{"_placeholder":true,"num":0}"""u8;

    private readonly ValueReply<T> _asJson = new(json);

    public override ValueTask Complete(GatewayClient client, string @event, T result, ReadOnlySpan<byte> ackId, ReadOnlySpan<byte> requestData)
    {
        if (result is null || !client.WireFormat.SupportsBinaryAttachments) return _asJson.Complete(client, @event, result, ackId, requestData);
        ReadOnlySpan<ReadOnlyMemory<byte>> attachment = [bytesOf(result)];
        client.SendReply(@event, ackId, Placeholder, attachment);
        return default;
    }
}
