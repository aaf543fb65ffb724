using FastRealtime.LoadGen.Protocols;
using FastRealtime.Transport.WebSockets;

namespace FastRealtime.LoadGen.Net;

/// <summary>
/// A connection's outgoing data frames, built and masked ONCE at start: <see cref="Capacity"/> copies of the same
/// frame back to back, so refilling a window of k messages is one send of k × <see cref="FrameLength"/> bytes.
/// Only the stamp (timestamp + publisher id), or whatever fields the caller names, is patched per message, masked in
/// place with the frame's key.
/// </summary>
/// <remarks>
/// Reusing one mask key per connection is what uWebSockets' load generator does too: RFC 6455 §5.3 asks for
/// unpredictable keys to protect browsers' intermediaries from cache poisoning by hostile scripts, which a load
/// generator talking to a test server is not. Not thread-safe: one thread at a time patches and sends; a send copies
/// the bytes (or writes them) before it returns, so the next patch never changes bytes still queued.
/// </remarks>
public sealed class PremaskedFrames
{
    private readonly byte[] _buffer;
    private readonly ILoadProtocol? _protocol;
    private readonly uint _maskKey;
    private readonly int _stampOffsetInPayload;
    private readonly int _headerLength;

    public PremaskedFrames(ILoadProtocol protocol, string eventName, string? room, int payloadSize, int capacity)
        : this(protocol.CreatePayload(eventName, room, payloadSize, out int stampOffset), protocol.Opcode, capacity)
    {
        _protocol = protocol;
        _stampOffsetInPayload = stampOffset;
    }

    /// <summary>Frames of a payload the caller built (and patches with <see cref="Patch"/>).</summary>
    public PremaskedFrames(byte[] payload, WebSocketOpcode opcode, int capacity)
    {
        _maskKey = WebSocketMaskKeys.Next();
        FrameLength = WebSocketFrameWriter.GetFrameSize(payload.Length, masked: true);
        _headerLength = FrameLength - payload.Length;
        Capacity = Math.Max(1, capacity);
        _buffer = new byte[FrameLength * Capacity];
        for (int i = 0; i < Capacity; i++)
            WebSocketFrameWriter.WriteFrame(_buffer.AsSpan(i * FrameLength, FrameLength), opcode, payload, fin: true, masked: true, maskKey: _maskKey);
        PayloadLength = payload.Length;
    }

    public int FrameLength { get; }
    public int PayloadLength { get; }
    public int Capacity { get; }

    /// <summary>Patches the stamp of copy <paramref name="index"/> (frames built from an <see cref="ILoadProtocol"/>).</summary>
    public void Stamp(int index, long timestamp, int publisherId)
    {
        Span<byte> stamp = stackalloc byte[32];
        stamp = stamp[.._protocol!.StampLength];
        _protocol.WriteStamp(stamp, timestamp, publisherId);
        Patch(index, _stampOffsetInPayload, stamp);
    }

    /// <summary>Overwrites the payload bytes of copy <paramref name="index"/> at <paramref name="payloadOffset"/> with
    /// <paramref name="clear"/> (masked here, in place; <paramref name="clear"/> is clobbered).</summary>
    public void Patch(int index, int payloadOffset, Span<byte> clear)
    {
        WebSocketMask.Apply(clear, _maskKey, payloadOffset);
        clear.CopyTo(_buffer.AsSpan(index * FrameLength + _headerLength + payloadOffset));
    }

    /// <summary>The first <paramref name="count"/> frames as one contiguous block.</summary>
    public ReadOnlySpan<byte> Frames(int count) => _buffer.AsSpan(0, count * FrameLength);
}
