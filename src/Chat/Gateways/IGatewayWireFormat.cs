using FastRealtime.Core.Buffers;

namespace FastRealtime.Chat.Gateways;

/// <summary>
/// How one wire protocol frames gateway packets whose payload is already UTF-8 JSON. One instance per protocol index,
/// shared by every client of it: a broadcast serializes the data once and asks each protocol present for one frame.
/// </summary>
/// <remarks>Thread-safe and allocation-light: returns a pooled buffer holding one reference for the caller.</remarks>
public interface IGatewayWireFormat
{
    int ProtocolIndex { get; }

    /// <summary>
    /// True when the protocol carries binary attachments beside the JSON (Socket.IO), referred to from it as
    /// <c>{"_placeholder":true,"num":N}</c>; false when binary values travel inside the JSON (base64 strings).
    /// </summary>
    bool SupportsBinaryAttachments { get; }

    /// <summary>An event to the client; with a non-empty <paramref name="ackId"/> (raw JSON) it answers that request.</summary>
    SharedBuffer EncodeEvent(string @namespace, string @event, ReadOnlySpan<byte> ackId, ReadOnlySpan<byte> dataJson);

    /// <summary>
    /// A handler's plain return value for request <paramref name="event"/>: an ack when <paramref name="ackId"/> is
    /// given, otherwise whatever the protocol does with an unsolicited reply (null: nothing is sent).
    /// </summary>
    /// <param name="attachments">Binary attachments the JSON's placeholders refer to; only given when <see cref="SupportsBinaryAttachments"/>.</param>
    SharedBuffer? EncodeReply(string @namespace, string @event, ReadOnlySpan<byte> ackId, ReadOnlySpan<byte> dataJson,
        ReadOnlySpan<ReadOnlyMemory<byte>> attachments);
}
