using System.Buffers.Binary;
using System.Buffers.Text;
using FastRealtime.Core.Buffers;
using FastRealtime.Transport.WebSockets;

namespace FastRealtime.Transport.EngineIO;

/// <summary>
/// Builds one outgoing Engine.IO message — a text "message" packet plus its binary attachments, sent as one unit — in
/// either transport's form, once, so the same bytes can be queued for many sessions:
/// WebSocket: a text frame "4…" then one binary frame per attachment; long-polling: "4…" then 0x1e "b"+base64 per attachment.
/// Also converts one form into the other for the rare session that changes transport while a broadcast is in flight.
/// </summary>
public static class EngineIoMessageBuffers
{
    /// <summary>
    /// Rents the WebSocket form of a message whose text (without the Engine.IO type digit) is <paramref name="textLength"/>
    /// bytes; the attachments are written, the caller fills <paramref name="text"/>. One reference, held by the caller.
    /// </summary>
    public static SharedBuffer RentWebSocket(int textLength, ReadOnlySpan<ReadOnlyMemory<byte>> attachments, out Span<byte> text)
    {
        int payload = 1 + textLength;
        int size = WebSocketFrameWriter.GetFrameSize(payload, masked: false);
        foreach (var attachment in attachments) size += WebSocketFrameWriter.GetFrameSize(attachment.Length, masked: false);
        var buffer = SharedBuffer.Rent(size);
        var span = buffer.Span;
        int at = WebSocketFrameWriter.WriteHeader(span, WebSocketOpcode.Text, payload);
        span[at] = EngineIoPacketType.Message.ToByte();
        text = span.Slice(at + 1, textLength);
        at += payload;
        foreach (var attachment in attachments)
            at += WebSocketFrameWriter.WriteFrame(span[at..], WebSocketOpcode.Binary, attachment.Span);
        return buffer;
    }

    /// <summary>The long-polling form of the same message (see <see cref="RentWebSocket"/>).</summary>
    public static SharedBuffer RentPolling(int textLength, ReadOnlySpan<ReadOnlyMemory<byte>> attachments, out Span<byte> text)
    {
        int size = 1 + textLength;
        foreach (var attachment in attachments) size += 2 + Base64.GetMaxEncodedToUtf8Length(attachment.Length);
        var buffer = SharedBuffer.Rent(size);
        var span = buffer.Span;
        span[0] = EngineIoPacketType.Message.ToByte();
        text = span.Slice(1, textLength);
        int at = 1 + textLength;
        foreach (var attachment in attachments)
        {
            span[at++] = EngineIoWire.RecordSeparator;
            at += PollingPayloadWriter.WriteBinary(span[at..], attachment.Span);
        }
        return buffer;
    }

    /// <summary>
    /// True when <paramref name="encoded"/> holds WebSocket frames. Unambiguous: a server frame starts with FIN set
    /// (0x8_), a long-polling segment with an ASCII digit or 'b'.
    /// </summary>
    public static bool IsWebSocketForm(ReadOnlySpan<byte> encoded) => !encoded.IsEmpty && (encoded[0] & 0x80) != 0;

    /// <summary>Re-encodes unmasked server frames (as built here) into a long-polling segment. One reference, held by the caller.</summary>
    public static SharedBuffer WebSocketToPolling(ReadOnlySpan<byte> frames)
    {
        int size = 0;
        for (var rest = frames; !rest.IsEmpty;)
        {
            var opcode = ReadServerFrame(rest, out var payload, out int next);
            size += (size == 0 ? 0 : 1) + (opcode == WebSocketOpcode.Binary ? 1 + Base64.GetMaxEncodedToUtf8Length(payload.Length) : payload.Length);
            rest = rest[next..];
        }
        var buffer = SharedBuffer.Rent(size);
        var span = buffer.Span;
        int at = 0;
        for (var rest = frames; !rest.IsEmpty;)
        {
            var opcode = ReadServerFrame(rest, out var payload, out int next);
            if (at > 0) span[at++] = EngineIoWire.RecordSeparator;
            if (opcode == WebSocketOpcode.Binary) at += PollingPayloadWriter.WriteBinary(span[at..], payload);
            else
            {
                payload.CopyTo(span[at..]);
                at += payload.Length;
            }
            rest = rest[next..];
        }
        return buffer;
    }

    /// <summary>Re-encodes a long-polling segment into WebSocket frames. One reference, held by the caller.</summary>
    public static SharedBuffer PollingToWebSocket(ReadOnlySpan<byte> segment)
    {
        int size = 0;
        foreach (var part in segment.Split(EngineIoWire.RecordSeparator))
        {
            var packet = segment[part];
            int length = packet.Length > 0 && packet[0] == EngineIoWire.BinaryPrefix ? Base64.GetMaxDecodedFromUtf8Length(packet.Length - 1) : packet.Length;
            size += WebSocketFrameWriter.GetFrameSize(length, masked: false);
        }
        var buffer = SharedBuffer.Rent(size);
        var span = buffer.Span;
        int at = 0;
        foreach (var part in segment.Split(EngineIoWire.RecordSeparator))
        {
            var packet = segment[part];
            if (packet.Length > 0 && packet[0] == EngineIoWire.BinaryPrefix)
            {
                // Exact decoded length first, so the frame header states it (base64 we wrote ourselves is valid).
                Span<byte> scratch = new byte[Base64.GetMaxDecodedFromUtf8Length(packet.Length - 1)];
                Base64.DecodeFromUtf8(packet[1..], scratch, out _, out int decoded);
                at += WebSocketFrameWriter.WriteFrame(span[at..], WebSocketOpcode.Binary, scratch[..decoded]);
            }
            else
            {
                at += WebSocketFrameWriter.WriteFrame(span[at..], WebSocketOpcode.Text, packet);
            }
        }
        buffer.Truncate(at);
        return buffer;
    }

    // Server frames: FIN set, no mask, 7/16/64-bit length (RFC 6455 §5.2).
    private static WebSocketOpcode ReadServerFrame(ReadOnlySpan<byte> frame, out ReadOnlySpan<byte> payload, out int next)
    {
        var opcode = (WebSocketOpcode)(frame[0] & 0x0F);
        int length = frame[1] & 0x7F;
        int header = 2;
        if (length == 126)
        {
            length = BinaryPrimitives.ReadUInt16BigEndian(frame[2..]);
            header = 4;
        }
        else if (length == 127)
        {
            length = checked((int)BinaryPrimitives.ReadUInt64BigEndian(frame[2..]));
            header = 10;
        }
        payload = frame.Slice(header, length);
        next = header + length;
        return opcode;
    }
}
