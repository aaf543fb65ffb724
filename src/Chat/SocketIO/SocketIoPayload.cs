using System.Buffers;
using System.Collections.Concurrent;
using System.Text.Json;
using FastRealtime.Transport.SocketIO;

namespace FastRealtime.Chat.SocketIO;

/// <summary>
/// Application arguments turned into what a packet carries: comma-separated raw JSON plus binary attachments. A top-level
/// <c>byte[]</c>, <c>ReadOnlyMemory&lt;byte&gt;</c> or <c>ArraySegment&lt;byte&gt;</c> becomes a
/// <c>{"_placeholder":true,"num":N}</c> and an attachment (socket.io-protocol v5, "Packet encoding"); a
/// <see cref="JsonElement"/> or <see cref="SocketIoRawJson"/> is written as is; anything else through System.Text.Json.
/// </summary>
/// <remarks>For the convenience API (allocates); the raw overloads on socket and namespace are the allocation-free path.</remarks>
public readonly struct SocketIoPayload
{
    private static readonly ConcurrentDictionary<string, byte[]> s_names = new(StringComparer.Ordinal);
    private const int MaxCachedNames = 10_000;

    private SocketIoPayload(byte[] arguments, ReadOnlyMemory<byte>[] attachments)
    {
        Arguments = arguments;
        Attachments = attachments;
    }

    /// <summary>Comma-separated raw JSON arguments, without brackets.</summary>
    public ReadOnlyMemory<byte> Arguments { get; }

    public ReadOnlyMemory<byte>[] Attachments { get; }

    public static SocketIoPayload Create(ReadOnlySpan<object?> args, JsonSerializerOptions options)
    {
        var output = new ArrayBufferWriter<byte>(64);
        List<ReadOnlyMemory<byte>>? attachments = null;
        using (var writer = new Utf8JsonWriter(output, new JsonWriterOptions { SkipValidation = true }))
        {
            writer.WriteStartArray();
            foreach (var arg in args)
            {
                if (AsBinary(arg) is { } binary)
                {
                    attachments ??= [];
                    writer.WriteStartObject();
                    writer.WriteBoolean("_placeholder", true);
                    writer.WriteNumber("num", attachments.Count);
                    writer.WriteEndObject();
                    attachments.Add(binary);
                }
                else if (arg is JsonElement element) element.WriteTo(writer);
                else if (arg is SocketIoRawJson raw) writer.WriteRawValue(raw.Utf8Json.Span, skipInputValidation: true);
                else if (arg is null) writer.WriteNullValue();
                else JsonSerializer.Serialize(writer, arg, arg.GetType(), options);
            }
            writer.WriteEndArray();
        }
        var array = output.WrittenSpan;
        return new SocketIoPayload(array[1..^1].ToArray(), attachments?.ToArray() ?? []);
    }

    // Typed arms: a bare `null` arm would convert through byte[] → ReadOnlyMemory<byte> into an empty buffer.
    private static ReadOnlyMemory<byte>? AsBinary(object? arg) => arg switch
    {
        byte[] bytes => new ReadOnlyMemory<byte>(bytes),
        ReadOnlyMemory<byte> memory => memory,
        Memory<byte> memory => (ReadOnlyMemory<byte>)memory,
        ArraySegment<byte> segment => new ReadOnlyMemory<byte>(segment.Array, segment.Offset, segment.Count),
        _ => (ReadOnlyMemory<byte>?)null,
    };

    /// <summary>The event name as a JSON string literal, cached (names are few and fixed in practice; the cache is bounded).</summary>
    public static byte[] QuotedName(string name)
    {
        if (s_names.TryGetValue(name, out var quoted)) return quoted;
        quoted = SocketIoPacketWriter.EncodeEventName(name);
        if (s_names.Count < MaxCachedNames) s_names.TryAdd(name, quoted);
        return quoted;
    }
}

/// <summary>An argument that is already JSON: written into the packet unchanged.</summary>
public sealed record SocketIoRawJson(ReadOnlyMemory<byte> Utf8Json);
