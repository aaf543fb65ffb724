using System.Buffers;
using System.Text;
using System.Text.Json;

namespace FastRealtime.LoadGen.Protocols;

/// <summary>
/// Helpers of the text protocols (json, socketio, signalr): a payload is <c>prefix + stamp + 'x' padding + suffix</c>,
/// where the stamp and padding form one JSON string's content; on receive, the stamp is the first JSON string value
/// whose first <see cref="StampCodec.TextLength"/> characters decode as a stamp.
/// </summary>
internal static class TextPayloads
{
    /// <summary>Builds a payload of at least <paramref name="size"/> bytes (the smallest that holds the stamp when
    /// <paramref name="size"/> is less), with a zero stamp right after <paramref name="prefix"/>.</summary>
    public static byte[] Build(string prefix, string suffix, int size, out int stampOffset)
    {
        byte[] head = Encoding.UTF8.GetBytes(prefix);
        byte[] tail = Encoding.UTF8.GetBytes(suffix);
        int total = Math.Max(size, MinimumSize(prefix, suffix));
        var payload = new byte[total];
        head.CopyTo(payload, 0);
        payload.AsSpan(head.Length, total - head.Length - tail.Length).Fill((byte)'x');
        tail.CopyTo(payload, total - tail.Length);
        stampOffset = head.Length;
        StampCodec.WriteText(payload.AsSpan(stampOffset), 0, 0);
        return payload;
    }

    public static int MinimumSize(string prefix, string suffix) =>
        Encoding.UTF8.GetByteCount(prefix) + StampCodec.TextLength + Encoding.UTF8.GetByteCount(suffix);

    /// <summary>A JSON string literal of <paramref name="value"/> (names and rooms in templates; built once per run).</summary>
    public static string Quote(string value) => JsonSerializer.Serialize(value);

    /// <summary>
    /// Scans <paramref name="json"/> (one JSON value) for the first string value carrying a stamp. Event names, targets
    /// and room names never decode as 24 hex digits, so the layout of the arguments does not matter. No allocation:
    /// the reader walks the sequence in place.
    /// </summary>
    public static bool TryFindStamp(in ReadOnlySequence<byte> json, out long timestamp, out int publisherId)
    {
        timestamp = 0;
        publisherId = 0;
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 16 });
        try
        {
            while (reader.Read())
            {
                if (reader.TokenType != JsonTokenType.String) continue;
                if (TryDecode(ref reader, out timestamp, out publisherId)) return true;
            }
        }
        catch (JsonException)
        {
            // A malformed record carries no stamp; the caller counts it.
        }
        return false;
    }

    private static bool TryDecode(ref Utf8JsonReader reader, out long timestamp, out int publisherId)
    {
        if (!reader.HasValueSequence) return StampCodec.TryReadText(reader.ValueSpan, out timestamp, out publisherId);
        Span<byte> head = stackalloc byte[StampCodec.TextLength];
        ReadOnlySequence<byte> value = reader.ValueSequence;
        int length = (int)Math.Min(value.Length, head.Length);
        value.Slice(0, length).CopyTo(head);
        return StampCodec.TryReadText(head[..length], out timestamp, out publisherId);
    }
}
