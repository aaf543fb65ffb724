using System.Buffers.Binary;
using FastRealtime.Transport.WebSockets;

namespace FastRealtime.Tests.WebSockets.Framing;

/// <summary>Byte-level helpers for building test frames.</summary>
internal static class Wire
{
    /// <summary>The mask key of the RFC 6455 §5.7 examples (37 fa 21 3d), in the reader's little-endian layout.</summary>
    public const uint RfcMaskKey = 0x3d21fa37;

    /// <summary>The MASK bit of the second header byte as the peer of <paramref name="receiver"/> sets it.</summary>
    public static byte MaskBit(WebSocketRole receiver) => receiver == WebSocketRole.Server ? (byte)0x80 : (byte)0;

    /// <summary>The mask key bytes (37 fa 21 3d) a client puts in the header; none towards a client.</summary>
    public static byte[] MaskKey(WebSocketRole receiver) => receiver == WebSocketRole.Server ? [0x37, 0xfa, 0x21, 0x3d] : [];

    /// <summary>The payload as it travels towards <paramref name="receiver"/>: masked with <see cref="RfcMaskKey"/> towards a server.</summary>
    public static byte[] Payload(WebSocketRole receiver, byte[] payload, int maskOffset = 0)
    {
        byte[] copy = (byte[])payload.Clone();
        if (receiver == WebSocketRole.Server)
        {
            WebSocketMask.ApplyScalar(copy, RfcMaskKey, maskOffset);
        }

        return copy;
    }

    public static byte[] Concat(params byte[][] parts) => parts.SelectMany(p => p).ToArray();

    public static byte[] Utf8(string text) => System.Text.Encoding.UTF8.GetBytes(text);

    public static byte[] Masked(uint key, byte[] payload)
    {
        byte[] copy = (byte[])payload.Clone();
        WebSocketMask.ApplyScalar(copy, key, 0);
        return copy;
    }

    /// <summary>
    /// A frame as the peer of <paramref name="receiver"/> sends it: masked with <see cref="RfcMaskKey"/> towards a
    /// server, unmasked towards a client. <paramref name="first"/> is the literal first byte (FIN, RSV1-3, opcode).
    /// </summary>
    public static byte[] Frame(WebSocketRole receiver, byte first, byte[] payload)
    {
        bool masked = receiver == WebSocketRole.Server;
        byte[] frame = new byte[WebSocketFrameWriter.GetFrameSize(payload.Length, masked)];
        int header = WebSocketFrameWriter.WriteHeader(frame, WebSocketOpcode.Binary, payload.Length, masked: masked, maskKey: RfcMaskKey);
        frame[0] = first;
        (masked ? Masked(RfcMaskKey, payload) : payload).CopyTo(frame, header);
        return frame;
    }

    public static byte[] Frame(WebSocketRole receiver, byte first, string text) => Frame(receiver, first, Utf8(text));

    /// <summary>A close frame body: big-endian code, then the reason.</summary>
    public static byte[] CloseBody(ushort code, byte[] reason)
    {
        byte[] body = new byte[2 + reason.Length];
        BinaryPrimitives.WriteUInt16BigEndian(body, code);
        reason.CopyTo(body, 2);
        return body;
    }

    public static byte[] Random(Random random, int length)
    {
        byte[] bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }
}
