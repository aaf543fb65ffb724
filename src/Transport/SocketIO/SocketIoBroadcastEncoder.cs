using FastRealtime.Core.Buffers;
using FastRealtime.Core.Rooms;
using FastRealtime.Transport.EngineIO;

namespace FastRealtime.Transport.SocketIO;

/// <summary>
/// Encodes one Socket.IO EVENT for a broadcast: for WebSocket recipients (<see cref="WireProtocols.SocketIoWebSocket"/>) the
/// packet is written once straight into its frame(s), shared by all of them; for long-polling recipients
/// (<see cref="WireProtocols.SocketIoPolling"/>) once as a segment each queues for its next poll.
/// </summary>
/// <remarks>A ref struct over the caller's spans: a broadcast allocates no closure and copies the arguments once per protocol.</remarks>
public readonly ref struct SocketIoBroadcastEncoder : IBroadcastEncoder
{
    private readonly ReadOnlySpan<byte> _namespace;
    private readonly ReadOnlySpan<byte> _quotedName;
    private readonly ReadOnlySpan<byte> _arguments;
    private readonly ReadOnlySpan<ReadOnlyMemory<byte>> _attachments;

    /// <param name="namespace">UTF-8 namespace ("/" for the main one).</param>
    /// <param name="quotedName">The event name as a JSON string literal (<see cref="SocketIoPacketWriter.EncodeEventName"/>).</param>
    /// <param name="arguments">Comma-separated raw JSON arguments, "" for none; binary ones as placeholders.</param>
    /// <param name="attachments">The binary attachments the placeholders refer to, in order.</param>
    public SocketIoBroadcastEncoder(ReadOnlySpan<byte> @namespace, ReadOnlySpan<byte> quotedName, ReadOnlySpan<byte> arguments,
        ReadOnlySpan<ReadOnlyMemory<byte>> attachments = default)
    {
        _namespace = @namespace;
        _quotedName = quotedName;
        _arguments = arguments;
        _attachments = attachments;
    }

    public SharedBuffer Encode(int protocolIndex)
    {
        int length = SocketIoPacketWriter.EventLength(_namespace, _quotedName, _arguments, -1, _attachments.Length);
        Span<byte> text;
        var buffer = protocolIndex switch
        {
            WireProtocols.SocketIoWebSocket => EngineIoMessageBuffers.RentWebSocket(length, _attachments, out text),
            WireProtocols.SocketIoPolling => EngineIoMessageBuffers.RentPolling(length, _attachments, out text),
            _ => throw new ArgumentOutOfRangeException(nameof(protocolIndex), protocolIndex, "Socket.IO encodes protocols 1 (WebSocket) and 2 (long-polling)."),
        };
        SocketIoPacketWriter.WriteEvent(text, _namespace, _quotedName, _arguments, -1, _attachments.Length);
        return buffer;
    }
}
