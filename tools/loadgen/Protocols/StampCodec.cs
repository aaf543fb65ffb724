using System.Buffers.Binary;
using System.Buffers.Text;

namespace FastRealtime.LoadGen.Protocols;

/// <summary>
/// The stamp every timed message carries: the send timestamp (Stopwatch ticks) and the publisher's id.
/// Binary: 8 bytes little-endian ticks + 4 bytes id. Text: 16 + 8 lowercase hex digits, which keep the message
/// valid UTF-8 and valid inside a JSON string.
/// </summary>
internal static class StampCodec
{
    public const int BinaryLength = 12;
    public const int TextLength = 24;

    public static void WriteBinary(Span<byte> destination, long timestamp, int publisherId)
    {
        BinaryPrimitives.WriteInt64LittleEndian(destination, timestamp);
        BinaryPrimitives.WriteInt32LittleEndian(destination[8..], publisherId);
    }

    public static bool TryReadBinary(ReadOnlySpan<byte> source, out long timestamp, out int publisherId)
    {
        timestamp = 0;
        publisherId = 0;
        if (source.Length < BinaryLength) return false;
        timestamp = BinaryPrimitives.ReadInt64LittleEndian(source);
        publisherId = BinaryPrimitives.ReadInt32LittleEndian(source[8..]);
        return true;
    }

    public static void WriteText(Span<byte> destination, long timestamp, int publisherId)
    {
        Utf8Formatter.TryFormat((ulong)timestamp, destination[..16], out _, new System.Buffers.StandardFormat('x', 16));
        Utf8Formatter.TryFormat((uint)publisherId, destination.Slice(16, 8), out _, new System.Buffers.StandardFormat('x', 8));
    }

    public static bool TryReadText(ReadOnlySpan<byte> source, out long timestamp, out int publisherId)
    {
        timestamp = 0;
        publisherId = 0;
        if (source.Length < TextLength
            || !Utf8Parser.TryParse(source[..16], out ulong ticks, out int used1, 'x') || used1 != 16
            || !Utf8Parser.TryParse(source.Slice(16, 8), out uint id, out int used2, 'x') || used2 != 8)
            return false;
        timestamp = (long)ticks;
        publisherId = (int)id;
        return true;
    }
}
