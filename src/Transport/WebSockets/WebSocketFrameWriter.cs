using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Text.Unicode;

namespace FastRealtime.Transport.WebSockets;

/// <summary>
/// Writes RFC 6455 §5.2 frames into caller-provided memory. No I/O and no allocation; a server frames a broadcast
/// once and shares the bytes (server frames are unmasked), a client passes <c>masked: true</c> and a fresh key
/// from <see cref="WebSocketMaskKeys.Next"/> for every frame.
/// </summary>
/// <remarks>
/// Lengths always use the shortest encoding (§5.2). A destination that is too small, a negative length or an
/// over-long control payload is a caller bug and throws <see cref="ArgumentException"/>.
/// </remarks>
public static class WebSocketFrameWriter
{
    /// <summary>2 bytes of flags and length, 8 bytes of 64-bit extended length, 4 bytes of mask key.</summary>
    public const int MaxHeaderSize = 14;

    /// <summary>Largest control frame payload (§5.5).</summary>
    public const int MaxControlPayloadLength = 125;

    /// <summary>Longest close reason: the control payload limit minus the 2-byte code.</summary>
    public const int MaxCloseReasonLength = MaxControlPayloadLength - 2;

    public static int GetHeaderSize(long payloadLength, bool masked) =>
        (payloadLength <= MaxControlPayloadLength ? 2 : payloadLength <= ushort.MaxValue ? 4 : 10) + (masked ? 4 : 0);

    public static int GetFrameSize(int payloadLength, bool masked) => GetHeaderSize(payloadLength, masked) + payloadLength;

    /// <summary>Writes a frame header; the payload (masked by the caller when <paramref name="masked"/>) follows it.</summary>
    /// <param name="maskKey">Mask bytes in wire order as a little-endian uint (see <see cref="WebSocketMask"/>).</param>
    /// <returns>The number of header bytes written.</returns>
    public static int WriteHeader(
        Span<byte> destination, WebSocketOpcode opcode, long payloadLength,
        bool fin = true, bool rsv1 = false, bool masked = false, uint maskKey = 0)
    {
        if (payloadLength < 0)
        {
            ThrowArgument(nameof(payloadLength), "payload length is negative");
        }

        if (IsControl(opcode) && (payloadLength > MaxControlPayloadLength || !fin))
        {
            ThrowArgument(nameof(payloadLength), "a control frame must have FIN set and at most 125 payload bytes");
        }

        int size = GetHeaderSize(payloadLength, masked);
        if (destination.Length < size)
        {
            ThrowArgument(nameof(destination), "destination is too small for the frame header");
        }

        destination[0] = (byte)((fin ? 0x80 : 0) | (rsv1 ? 0x40 : 0) | (byte)opcode);
        byte maskBit = masked ? (byte)0x80 : (byte)0;
        int position;
        if (payloadLength <= MaxControlPayloadLength)
        {
            destination[1] = (byte)(maskBit | payloadLength);
            position = 2;
        }
        else if (payloadLength <= ushort.MaxValue)
        {
            destination[1] = (byte)(maskBit | 126);
            BinaryPrimitives.WriteUInt16BigEndian(destination[2..], (ushort)payloadLength);
            position = 4;
        }
        else
        {
            destination[1] = (byte)(maskBit | 127);
            BinaryPrimitives.WriteInt64BigEndian(destination[2..], payloadLength);
            position = 10;
        }

        if (masked)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(destination[position..], maskKey);
            position += 4;
        }

        return position;
    }

    /// <summary>Writes header and payload; when <paramref name="masked"/> the payload is copied masked, the source is untouched.</summary>
    /// <returns>The number of bytes written, <see cref="GetFrameSize"/>.</returns>
    public static int WriteFrame(
        Span<byte> destination, WebSocketOpcode opcode, ReadOnlySpan<byte> payload,
        bool fin = true, bool masked = false, uint maskKey = 0)
    {
        if (destination.Length < GetFrameSize(payload.Length, masked))
        {
            ThrowArgument(nameof(destination), "destination is too small for the frame");
        }

        int headerSize = WriteHeader(destination, opcode, payload.Length, fin, rsv1: false, masked, maskKey);
        Span<byte> body = destination.Slice(headerSize, payload.Length);
        payload.CopyTo(body);
        if (masked)
        {
            WebSocketMask.Apply(body, maskKey, 0);
        }

        return headerSize + payload.Length;
    }

    /// <summary>
    /// Writes a close frame (§5.5.1). <see cref="WebSocketCloseCodes.NoStatusReceived"/> writes a close frame
    /// without a body (the reason must then be empty); any other code must be one a peer may receive.
    /// </summary>
    public static int WriteClose(
        Span<byte> destination, ushort code, ReadOnlySpan<byte> reasonUtf8, bool masked = false, uint maskKey = 0)
    {
        if (code == WebSocketCloseCodes.NoStatusReceived)
        {
            if (!reasonUtf8.IsEmpty)
            {
                ThrowArgument(nameof(reasonUtf8), "a close frame without a code cannot carry a reason");
            }

            return WriteHeader(destination, WebSocketOpcode.Close, 0, masked: masked, maskKey: maskKey);
        }

        if (!WebSocketCloseCodes.IsValidReceived(code))
        {
            ThrowArgument(nameof(code), "this close code may not be sent");
        }

        if (reasonUtf8.Length > MaxCloseReasonLength || !Utf8.IsValid(reasonUtf8))
        {
            ThrowArgument(nameof(reasonUtf8), "the close reason must be valid UTF-8 of at most 123 bytes");
        }

        int payloadLength = 2 + reasonUtf8.Length;
        if (destination.Length < GetFrameSize(payloadLength, masked))
        {
            ThrowArgument(nameof(destination), "destination is too small for the frame");
        }

        int headerSize = WriteHeader(destination, WebSocketOpcode.Close, payloadLength, masked: masked, maskKey: maskKey);
        Span<byte> body = destination.Slice(headerSize, payloadLength);
        BinaryPrimitives.WriteUInt16BigEndian(body, code);
        reasonUtf8.CopyTo(body[2..]);
        if (masked)
        {
            WebSocketMask.Apply(body, maskKey, 0);
        }

        return headerSize + payloadLength;
    }

    internal static bool IsControl(WebSocketOpcode opcode) => ((byte)opcode & 0x8) != 0;

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowArgument(string name, string message) => throw new ArgumentException(message, name);
}
