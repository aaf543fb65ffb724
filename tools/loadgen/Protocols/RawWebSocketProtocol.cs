using System.Buffers;
using FastRealtime.Transport.WebSockets;

namespace FastRealtime.LoadGen.Protocols;

/// <summary>Raw WebSocket messages: the stamp at offset 0, then padding up to the requested size.</summary>
public sealed class RawWebSocketProtocol : ILoadProtocol
{
    public static readonly RawWebSocketProtocol BinaryInstance = new(binary: true);
    public static readonly RawWebSocketProtocol TextInstance = new(binary: false);

    private readonly bool _binary;

    private RawWebSocketProtocol(bool binary) => _binary = binary;

    public string Name => "ws";
    public WebSocketOpcode Opcode => _binary ? WebSocketOpcode.Binary : WebSocketOpcode.Text;
    public int StampLength => _binary ? StampCodec.BinaryLength : StampCodec.TextLength;
    public int MinimumPayloadSize => StampLength;

    public byte[] CreatePayload(string eventName, string? room, int size, out int stampOffset)
    {
        var payload = new byte[Math.Max(size, MinimumPayloadSize)];
        payload.AsSpan().Fill((byte)'x');
        stampOffset = 0;
        WriteStamp(payload, 0, 0);
        return payload;
    }

    public void WriteStamp(Span<byte> destination, long timestamp, int publisherId)
    {
        if (_binary) StampCodec.WriteBinary(destination, timestamp, publisherId);
        else StampCodec.WriteText(destination, timestamp, publisherId);
    }

    public bool TryReadStamp(in ReadOnlySequence<byte> payload, out long timestamp, out int publisherId)
    {
        Span<byte> head = stackalloc byte[StampCodec.TextLength];
        int length = (int)Math.Min(payload.Length, StampLength);
        payload.Slice(0, length).CopyTo(head);
        return _binary
            ? StampCodec.TryReadBinary(head[..length], out timestamp, out publisherId)
            : StampCodec.TryReadText(head[..length], out timestamp, out publisherId);
    }
}
