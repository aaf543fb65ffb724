using System.Text.Json;

namespace FastRealtime.Transport.SocketIO;

/// <summary>
/// Decodes the text form of a Socket.IO v5 packet and checks its payload the way socket.io-parser does
/// (CONNECT: object or none; DISCONNECT: none; EVENT: non-empty array starting with a string name; ACK: array;
/// CONNECT_ERROR: object or string). Synchronous, allocation-free; the result views the input.
/// </summary>
public static class SocketIoPacketParser
{
    /// <summary>Ack ids stay below 2^53 (JavaScript's safe integers), so 15 digits at most.</summary>
    public const int MaxAckIdDigits = 15;

    /// <summary>More attachments than this in one packet is refused (a count is a promise of buffering).</summary>
    public const int MaxAttachments = 1_000;

    public static SocketIoParseError Parse(ReadOnlySpan<byte> text, out SocketIoPacket packet)
    {
        packet = default;
        if (text.IsEmpty) return SocketIoParseError.Empty;
        int type = text[0] - '0';
        if (type is < 0 or > 6) return SocketIoParseError.UnknownType;
        var packetType = (SocketIoPacketType)type;
        int at = 1;

        int attachments = 0;
        if (packetType is SocketIoPacketType.BinaryEvent or SocketIoPacketType.BinaryAck)
        {
            int dash = text[at..].IndexOf((byte)'-');
            if (dash <= 0 || dash > 4 || !TryParseDigits(text.Slice(at, dash), out long count) || count > MaxAttachments)
                return SocketIoParseError.BadAttachmentCount;
            attachments = (int)count;
            at += dash + 1;
        }

        ReadOnlySpan<byte> ns = "/"u8;
        if (at < text.Length && text[at] == '/')
        {
            int comma = text[at..].IndexOf((byte)',');
            int end = comma < 0 ? text.Length : at + comma;
            ns = text[at..end];
            at = comma < 0 ? end : end + 1;
        }

        long ackId = -1;
        int digits = 0;
        while (at + digits < text.Length && char.IsAsciiDigit((char)text[at + digits])) digits++;
        if (digits > 0)
        {
            if (digits > MaxAckIdDigits || !TryParseDigits(text.Slice(at, digits), out ackId)) return SocketIoParseError.BadAckId;
            at += digits;
        }

        var data = text[at..];
        var error = CheckPayload(packetType, data);
        if (error != SocketIoParseError.None) return error;
        packet = new SocketIoPacket(packetType, ns, ackId, attachments, data);
        return SocketIoParseError.None;
    }

    private static SocketIoParseError CheckPayload(SocketIoPacketType type, ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty)
            return type is SocketIoPacketType.Connect or SocketIoPacketType.Disconnect ? SocketIoParseError.None : SocketIoParseError.InvalidPayload;
        if (type == SocketIoPacketType.Disconnect) return SocketIoParseError.InvalidPayload;

        JsonTokenType first, second = JsonTokenType.None;
        try
        {
            // One pass validates the whole value (Skip reads through it); a second token after it throws.
            var reader = new Utf8JsonReader(data, new JsonReaderOptions { MaxDepth = 64 });
            if (!reader.Read()) return SocketIoParseError.InvalidJson;
            first = reader.TokenType;
            reader.Skip();
            if (reader.Read()) return SocketIoParseError.InvalidJson;
            if (first == JsonTokenType.StartArray)
            {
                var peek = new Utf8JsonReader(data);
                peek.Read();
                peek.Read();
                second = peek.TokenType;
            }
        }
        catch (JsonException)
        {
            return SocketIoParseError.InvalidJson;
        }

        bool valid = type switch
        {
            SocketIoPacketType.Connect => first == JsonTokenType.StartObject,
            SocketIoPacketType.ConnectError => first is JsonTokenType.StartObject or JsonTokenType.String,
            SocketIoPacketType.Event or SocketIoPacketType.BinaryEvent => first == JsonTokenType.StartArray && second == JsonTokenType.String,
            _ => first == JsonTokenType.StartArray,
        };
        return valid ? SocketIoParseError.None : SocketIoParseError.InvalidPayload;
    }

    private static bool TryParseDigits(ReadOnlySpan<byte> digits, out long value)
    {
        value = 0;
        if (digits.IsEmpty) return false;
        foreach (byte b in digits)
        {
            if (!char.IsAsciiDigit((char)b)) return false;
            value = value * 10 + (b - '0');
        }
        return true;
    }
}
