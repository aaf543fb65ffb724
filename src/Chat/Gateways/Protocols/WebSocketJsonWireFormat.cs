using FastRealtime.Core.Buffers;
using FastRealtime.Transport;
using FastRealtime.Transport.Json;

namespace FastRealtime.Chat.Gateways.Protocols;

/// <summary>
/// Plain WebSocket (protocol <see cref="WireProtocols.WebSocketJson"/>): text frames holding the NestJS WsAdapter envelope.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>event: <c>{"event":"name","data":DATA}</c>; answering a request with an id: <c>{"event":"name","id":ID,"data":DATA}</c>.</item>
/// <item>a handler's plain return value: the value itself (NestJS sends it unwrapped); with an ack id, the envelope above
/// carrying the request's event name and id.</item>
/// </list>
/// The namespace is the WebSocket path, so it is not in the packet.
/// </remarks>
public sealed class WebSocketJsonWireFormat : IGatewayWireFormat
{
    public int ProtocolIndex => WireProtocols.WebSocketJson;

    public bool SupportsBinaryAttachments => false;

    public SharedBuffer EncodeEvent(string @namespace, string @event, ReadOnlySpan<byte> ackId, ReadOnlySpan<byte> dataJson) =>
        JsonEnvelopeWriter.Frame(@event, ackId, dataJson);

    public SharedBuffer? EncodeReply(string @namespace, string @event, ReadOnlySpan<byte> ackId, ReadOnlySpan<byte> dataJson,
        ReadOnlySpan<ReadOnlyMemory<byte>> attachments) =>
        ackId.IsEmpty ? JsonEnvelopeWriter.FrameValue(dataJson) : JsonEnvelopeWriter.Frame(@event, ackId, dataJson);
}
