using System.Buffers.Binary;

namespace FastRealtime.Tests.Infrastructure;

/// <summary>
/// Builds frames byte by byte with no validation at all, so conformance tests can send what the project's own
/// writer refuses to produce: reserved opcodes, fragmented or over-long control frames, invalid close codes,
/// lengths no real payload follows.
/// </summary>
public static class WireFrame
{
    /// <summary>A masked client frame (RFC 6455 §5.2) with any 4-bit opcode, any RSV bits and FIN as given.</summary>
    public static byte[] Build(int opcode, ReadOnlySpan<byte> payload, bool fin = true, int rsv = 0, bool masked = true)
    {
        var header = Header(opcode, (ulong)payload.Length, fin, rsv, masked, out uint maskKey);
        var frame = new byte[header.Length + payload.Length];
        header.CopyTo(frame, 0);
        payload.CopyTo(frame.AsSpan(header.Length));
        if (masked) ApplyMask(frame.AsSpan(header.Length), maskKey);
        return frame;
    }

    /// <summary>Only a header (mask key included) declaring <paramref name="declaredLength"/> payload bytes.</summary>
    public static byte[] Header(int opcode, ulong declaredLength, bool fin = true, int rsv = 0, bool masked = true) =>
        Header(opcode, declaredLength, fin, rsv, masked, out _);

    /// <summary>A close frame with any code (valid or not) and raw reason bytes.</summary>
    public static byte[] Close(ushort code, ReadOnlySpan<byte> reason = default)
    {
        var payload = new byte[2 + reason.Length];
        BinaryPrimitives.WriteUInt16BigEndian(payload, code);
        reason.CopyTo(payload.AsSpan(2));
        return Build(0x8, payload);
    }

    /// <summary>Concatenates frames so they leave in one write (the server sees them in one read, or split by TCP anywhere).</summary>
    public static byte[] Concat(params byte[][] frames)
    {
        var all = new byte[frames.Sum(f => f.Length)];
        int offset = 0;
        foreach (var frame in frames)
        {
            frame.CopyTo(all, offset);
            offset += frame.Length;
        }
        return all;
    }

    private static byte[] Header(int opcode, ulong length, bool fin, int rsv, bool masked, out uint maskKey)
    {
        int lengthBytes = length <= 125 ? 0 : length <= ushort.MaxValue ? 2 : 8;
        var header = new byte[2 + lengthBytes + (masked ? 4 : 0)];
        header[0] = (byte)((fin ? 0x80 : 0) | ((rsv & 0x7) << 4) | (opcode & 0xF)); // FIN RSV1 RSV2 RSV3 opcode(4)
        byte maskBit = masked ? (byte)0x80 : (byte)0;
        switch (lengthBytes)
        {
            case 0: header[1] = (byte)(maskBit | length); break;
            case 2: header[1] = (byte)(maskBit | 126); BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(2), (ushort)length); break;
            default: header[1] = (byte)(maskBit | 127); BinaryPrimitives.WriteUInt64BigEndian(header.AsSpan(2), length); break;
        }
        maskKey = 0;
        if (masked)
        {
            maskKey = (uint)Random.Shared.Next() | 1u; // never all-zero, so an unmasking bug shows
            BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(2 + lengthBytes), maskKey);
        }
        return header;
    }

    private static void ApplyMask(Span<byte> payload, uint maskKey)
    {
        Span<byte> key = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(key, maskKey);
        for (int i = 0; i < payload.Length; i++) payload[i] ^= key[i & 3];
    }
}
