namespace FastRealtime.Transport.Json;

/// <summary>
/// One plain-WebSocket request, <c>{"event": name, "data": payload, "id": ack}</c>, as slices of the received bytes:
/// nothing is materialized, so the dispatcher deserializes <see cref="Data"/> straight into the handler's type.
/// </summary>
/// <remarks>Valid only as long as the bytes it was read from (and the event scratch buffer) are.</remarks>
public readonly ref struct JsonEnvelope
{
    public JsonEnvelope(ReadOnlySpan<byte> @event, ReadOnlySpan<byte> data, ReadOnlySpan<byte> id)
    {
        Event = @event;
        Data = data;
        Id = id;
    }

    /// <summary>The event name, unescaped UTF-8 (without quotes).</summary>
    public ReadOnlySpan<byte> Event { get; }

    /// <summary>The raw JSON value of "data"; the literal <c>null</c> when the request had none.</summary>
    public ReadOnlySpan<byte> Data { get; }

    /// <summary>The raw JSON token of "id" (a number, or a string with its quotes); empty when the request wants no ack.</summary>
    public ReadOnlySpan<byte> Id { get; }

    public bool HasId => !Id.IsEmpty;
}

/// <summary>What <see cref="JsonEnvelopeReader.TryRead"/> found.</summary>
public enum JsonEnvelopeStatus : byte
{
    Ok,

    /// <summary>Not valid JSON (or several values, or trailing bytes).</summary>
    Malformed,

    /// <summary>Valid JSON whose top-level value is not an object.</summary>
    NotAnObject,

    /// <summary>No "event" property.</summary>
    MissingEvent,

    /// <summary>"event" is not a string, or is longer than <see cref="JsonEnvelopeReader.MaxEventNameBytes"/>.</summary>
    BadEvent,

    /// <summary>"id" is neither a number, a string nor null.</summary>
    BadId,
}
