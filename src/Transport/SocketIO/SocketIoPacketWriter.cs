using System.Buffers.Text;
using System.Text.Json;

namespace FastRealtime.Transport.SocketIO;

/// <summary>
/// Writes Socket.IO v5 packets in their text form, <c>&lt;type&gt;[&lt;attachments&gt;-][&lt;namespace&gt;,][&lt;ack id&gt;][&lt;JSON&gt;]</c>,
/// into a span sized beforehand with the matching Length method (so a packet is written straight into its frame,
/// with no intermediate copy). The namespace "/" is omitted, as socket.io-parser does.
/// </summary>
public static class SocketIoPacketWriter
{
    public static int HeaderLength(ReadOnlySpan<byte> @namespace, long ackId, int attachments) =>
        1
        + (attachments > 0 ? DigitCount(attachments) + 1 : 0)
        + (IsMainNamespace(@namespace) ? 0 : @namespace.Length + 1)
        + (ackId >= 0 ? DigitCount(ackId) : 0);

    /// <summary>Writes the header; an EVENT or ACK with attachments is written as BINARY_EVENT / BINARY_ACK.</summary>
    public static int WriteHeader(Span<byte> destination, SocketIoPacketType type, ReadOnlySpan<byte> @namespace, long ackId, int attachments)
    {
        if (attachments > 0)
        {
            if (type == SocketIoPacketType.Event) type = SocketIoPacketType.BinaryEvent;
            else if (type == SocketIoPacketType.Ack) type = SocketIoPacketType.BinaryAck;
        }
        destination[0] = (byte)('0' + (byte)type);
        int at = 1;
        if (attachments > 0)
        {
            Utf8Formatter.TryFormat(attachments, destination[at..], out int written);
            at += written;
            destination[at++] = (byte)'-';
        }
        if (!IsMainNamespace(@namespace))
        {
            @namespace.CopyTo(destination[at..]);
            at += @namespace.Length;
            destination[at++] = (byte)',';
        }
        if (ackId >= 0)
        {
            Utf8Formatter.TryFormat(ackId, destination[at..], out int written);
            at += written;
        }
        return at;
    }

    /// <summary>Length of a whole packet carrying <paramref name="data"/> (raw JSON, or empty).</summary>
    public static int PacketLength(ReadOnlySpan<byte> @namespace, long ackId, int attachments, int dataLength) =>
        HeaderLength(@namespace, ackId, attachments) + dataLength;

    public static int WritePacket(Span<byte> destination, SocketIoPacketType type, ReadOnlySpan<byte> @namespace, long ackId,
        int attachments, ReadOnlySpan<byte> data)
    {
        int at = WriteHeader(destination, type, @namespace, ackId, attachments);
        data.CopyTo(destination[at..]);
        return at + data.Length;
    }

    /// <summary>Length of <c>["name",args]</c>; <paramref name="quotedName"/> is a JSON string literal (see <see cref="EncodeEventName"/>),
    /// <paramref name="arguments"/> the comma-separated raw JSON arguments ("" for none).</summary>
    public static int EventDataLength(ReadOnlySpan<byte> quotedName, ReadOnlySpan<byte> arguments) =>
        2 + quotedName.Length + (arguments.IsEmpty ? 0 : 1 + arguments.Length);

    public static int EventLength(ReadOnlySpan<byte> @namespace, ReadOnlySpan<byte> quotedName, ReadOnlySpan<byte> arguments, long ackId = -1, int attachments = 0) =>
        HeaderLength(@namespace, ackId, attachments) + EventDataLength(quotedName, arguments);

    /// <summary>An EVENT (BINARY_EVENT with attachments): header then <c>["name",args]</c>.</summary>
    public static int WriteEvent(Span<byte> destination, ReadOnlySpan<byte> @namespace, ReadOnlySpan<byte> quotedName,
        ReadOnlySpan<byte> arguments, long ackId = -1, int attachments = 0)
    {
        int at = WriteHeader(destination, SocketIoPacketType.Event, @namespace, ackId, attachments);
        destination[at++] = (byte)'[';
        quotedName.CopyTo(destination[at..]);
        at += quotedName.Length;
        if (!arguments.IsEmpty)
        {
            destination[at++] = (byte)',';
            arguments.CopyTo(destination[at..]);
            at += arguments.Length;
        }
        destination[at++] = (byte)']';
        return at;
    }

    public static int AckLength(ReadOnlySpan<byte> @namespace, long ackId, ReadOnlySpan<byte> arguments, int attachments = 0) =>
        HeaderLength(@namespace, ackId, attachments) + 2 + arguments.Length;

    /// <summary>An ACK (BINARY_ACK with attachments): header then <c>[args]</c>.</summary>
    public static int WriteAck(Span<byte> destination, ReadOnlySpan<byte> @namespace, long ackId, ReadOnlySpan<byte> arguments, int attachments = 0)
    {
        int at = WriteHeader(destination, SocketIoPacketType.Ack, @namespace, ackId, attachments);
        destination[at++] = (byte)'[';
        arguments.CopyTo(destination[at..]);
        at += arguments.Length;
        destination[at++] = (byte)']';
        return at;
    }

    /// <summary>An event name as a JSON string literal, quotes included. Cache it: it is the same for every emit of the event.</summary>
    public static byte[] EncodeEventName(string name)
    {
        var encoded = JsonEncodedText.Encode(name).EncodedUtf8Bytes;
        var quoted = new byte[encoded.Length + 2];
        quoted[0] = quoted[^1] = (byte)'"';
        encoded.CopyTo(quoted.AsSpan(1));
        return quoted;
    }

    private static bool IsMainNamespace(ReadOnlySpan<byte> @namespace) => @namespace.IsEmpty || @namespace.SequenceEqual("/"u8);

    private static int DigitCount(long value)
    {
        int digits = 1;
        while (value >= 10)
        {
            value /= 10;
            digits++;
        }
        return digits;
    }
}
