using FastRealtime.Core.Buffers;
using FastRealtime.Transport.WebSockets;

namespace FastRealtime.Transport.Json;

/// <summary>
/// Writes the plain-WebSocket envelope: <c>{"event":"name","data":DATA}</c>, or with an ack id
/// <c>{"event":"name","id":ID,"data":DATA}</c>, where DATA and ID are raw JSON already serialized once.
/// </summary>
/// <remarks>
/// <see cref="Frame"/> builds the complete unmasked text frame in one pooled <see cref="SharedBuffer"/>, so a
/// broadcast frames the envelope once and every recipient shares the bytes.
/// </remarks>
public static class JsonEnvelopeWriter
{
    private static ReadOnlySpan<byte> EventPrefix => "{\"event\":\""u8;
    private static ReadOnlySpan<byte> IdPrefix => "\",\"id\":"u8;
    private static ReadOnlySpan<byte> DataAfterId => ",\"data\":"u8;
    private static ReadOnlySpan<byte> DataAfterEvent => "\",\"data\":"u8;

    /// <param name="eventName">The event name (escaped here).</param>
    /// <param name="id">Raw JSON of the ack id, or empty for none.</param>
    /// <param name="data">Raw JSON of the payload; must not be empty (use <c>null</c>).</param>
    public static int GetLength(ReadOnlySpan<char> eventName, ReadOnlySpan<byte> id, ReadOnlySpan<byte> data) =>
        EventPrefix.Length + JsonStringEscaper.GetEscapedLength(eventName)
        + (id.IsEmpty ? DataAfterEvent.Length : IdPrefix.Length + id.Length + DataAfterId.Length)
        + data.Length + 1;

    /// <returns>Bytes written (<see cref="GetLength"/>).</returns>
    public static int Write(Span<byte> destination, ReadOnlySpan<char> eventName, ReadOnlySpan<byte> id, ReadOnlySpan<byte> data)
    {
        int at = Append(destination, 0, EventPrefix);
        at += JsonStringEscaper.Write(destination[at..], eventName);
        if (id.IsEmpty)
        {
            at = Append(destination, at, DataAfterEvent);
        }
        else
        {
            at = Append(destination, at, IdPrefix);
            at = Append(destination, at, id);
            at = Append(destination, at, DataAfterId);
        }
        at = Append(destination, at, data);
        destination[at++] = (byte)'}';
        return at;
    }

    /// <summary>The envelope as one complete, unmasked text frame, with one reference held by the caller.</summary>
    public static SharedBuffer Frame(ReadOnlySpan<char> eventName, ReadOnlySpan<byte> id, ReadOnlySpan<byte> data)
    {
        int length = GetLength(eventName, id, data);
        var frame = SharedBuffer.Rent(WebSocketFrameWriter.GetFrameSize(length, masked: false));
        var span = frame.Span;
        int header = WebSocketFrameWriter.WriteHeader(span, WebSocketOpcode.Text, length);
        Write(span[header..], eventName, id, data);
        return frame;
    }

    /// <summary>A JSON value sent as it is (NestJS sends a handler's plain return value unwrapped), framed as text.</summary>
    public static SharedBuffer FrameValue(ReadOnlySpan<byte> json)
    {
        var frame = SharedBuffer.Rent(WebSocketFrameWriter.GetFrameSize(json.Length, masked: false));
        WebSocketFrameWriter.WriteFrame(frame.Span, WebSocketOpcode.Text, json);
        return frame;
    }

    private static int Append(Span<byte> destination, int at, ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(destination[at..]);
        return at + bytes.Length;
    }
}
