using System.Text.Json;

namespace FastRealtime.Transport.Json;

/// <summary>
/// Reads the NestJS WsAdapter envelope <c>{"event": name, "data": payload}</c> (plus an optional <c>"id"</c>, our
/// extension for acks on plain WebSocket) with <see cref="Utf8JsonReader"/>, keeping "data" as a raw slice.
/// </summary>
/// <remarks>
/// Allocation-free. Unknown properties are ignored; when a property repeats, the last one wins. The whole input
/// must be exactly one JSON object (RFC 8259), so a message with trailing bytes is malformed.
/// </remarks>
public static class JsonEnvelopeReader
{
    /// <summary>Longest event name accepted, in UTF-8 bytes; also the size of the scratch buffer for escaped names.</summary>
    public const int MaxEventNameBytes = 256;

    private static ReadOnlySpan<byte> NullLiteral => "null"u8;

    /// <param name="utf8">One complete text message.</param>
    /// <param name="eventScratch">At least <see cref="MaxEventNameBytes"/> bytes, used only when the name has JSON escapes.</param>
    public static JsonEnvelopeStatus TryRead(ReadOnlySpan<byte> utf8, Span<byte> eventScratch, out JsonEnvelope envelope)
    {
        envelope = default;
        try
        {
            return Read(utf8, eventScratch, out envelope);
        }
        catch (JsonException)
        {
            // Utf8JsonReader reports bad input only by throwing; this is the cold path of a bad client.
            return JsonEnvelopeStatus.Malformed;
        }
    }

    private static JsonEnvelopeStatus Read(ReadOnlySpan<byte> utf8, Span<byte> eventScratch, out JsonEnvelope envelope)
    {
        envelope = default;
        var reader = new Utf8JsonReader(utf8, isFinalBlock: true, state: default);
        if (!reader.Read()) return JsonEnvelopeStatus.Malformed;
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            while (reader.Read()) { } // surface trailing garbage as Malformed rather than NotAnObject
            return JsonEnvelopeStatus.NotAnObject;
        }

        ReadOnlySpan<byte> name = default, data = NullLiteral, id = default;
        bool hasEvent = false;
        JsonEnvelopeStatus status = JsonEnvelopeStatus.Ok;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("event"u8))
            {
                reader.Read();
                hasEvent = true;
                if (!TryReadEventName(ref reader, eventScratch, out name)) status = JsonEnvelopeStatus.BadEvent;
            }
            else if (reader.ValueTextEquals("data"u8))
            {
                reader.Read();
                data = RawValue(ref reader, utf8);
            }
            else if (reader.ValueTextEquals("id"u8))
            {
                reader.Read();
                id = reader.TokenType switch
                {
                    JsonTokenType.Number or JsonTokenType.String => RawValue(ref reader, utf8),
                    JsonTokenType.Null => default,
                    _ => Bad(ref reader, ref status),
                };
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }
        while (reader.Read()) { } // the top-level object is done; anything after it throws (trailing bytes)

        if (status != JsonEnvelopeStatus.Ok) return status;
        if (!hasEvent) return JsonEnvelopeStatus.MissingEvent;
        envelope = new JsonEnvelope(name, data, id);
        return JsonEnvelopeStatus.Ok;
    }

    private static bool TryReadEventName(scoped ref Utf8JsonReader reader, Span<byte> scratch, out ReadOnlySpan<byte> name)
    {
        name = default;
        if (reader.TokenType != JsonTokenType.String)
        {
            reader.Skip();
            return false;
        }
        if (!reader.ValueIsEscaped)
        {
            name = reader.ValueSpan;
            return name.Length <= MaxEventNameBytes;
        }
        // The unescaped name is never longer than its escaped form, so this bound guarantees CopyString fits.
        if (reader.ValueSpan.Length > MaxEventNameBytes || scratch.Length < reader.ValueSpan.Length) return false;
        int written = reader.CopyString(scratch);
        name = scratch[..written];
        return true;
    }

    // The token's bytes as received: strings keep their quotes, containers run to their closing bracket.
    private static ReadOnlySpan<byte> RawValue(scoped ref Utf8JsonReader reader, ReadOnlySpan<byte> utf8)
    {
        int start = (int)reader.TokenStartIndex;
        reader.Skip();
        return utf8[start..(int)reader.BytesConsumed];
    }

    private static ReadOnlySpan<byte> Bad(scoped ref Utf8JsonReader reader, scoped ref JsonEnvelopeStatus status)
    {
        reader.Skip();
        status = JsonEnvelopeStatus.BadId;
        return default;
    }
}
