using System.Buffers;
using System.Buffers.Text;

namespace FastRealtime.Transport.EngineIO;

/// <summary>What one packet of a long-polling payload turned out to be.</summary>
public enum PollingPacketStatus : byte
{
    /// <summary>A packet was read.</summary>
    Packet,

    /// <summary>The payload has no more packets.</summary>
    End,

    /// <summary>An empty packet, an unknown type or invalid base64: the whole payload is refused ("parse error").</summary>
    Malformed,
}

/// <summary>
/// Reads the packets of an HTTP long-polling body (engine.io-protocol v4, "HTTP long-polling"): packets separated by
/// the record separator 0x1e, text packets as their type digit and data, binary packets as 'b' and base64.
/// </summary>
/// <remarks>Synchronous and allocation-free: a binary packet is decoded into the caller's scratch buffer.</remarks>
public ref struct PollingPayloadReader(ReadOnlySpan<byte> payload)
{
    private ReadOnlySpan<byte> _rest = payload;
    private bool _done = payload.IsEmpty;

    /// <summary>
    /// Reads the next packet. For a binary packet <paramref name="type"/> is Message, <paramref name="isBinary"/> true and
    /// <paramref name="data"/> points into <paramref name="scratch"/> (at least <see cref="MaxDecodedLength"/> of the payload).
    /// </summary>
    public PollingPacketStatus TryRead(Span<byte> scratch, out EngineIoPacketType type, out ReadOnlySpan<byte> data, out bool isBinary)
    {
        type = default;
        data = default;
        isBinary = false;
        if (_done) return PollingPacketStatus.End;

        int separator = _rest.IndexOf(EngineIoWire.RecordSeparator);
        ReadOnlySpan<byte> packet = separator < 0 ? _rest : _rest[..separator];
        _rest = separator < 0 ? default : _rest[(separator + 1)..];
        _done = separator < 0;
        if (packet.IsEmpty) return PollingPacketStatus.Malformed;

        if (packet[0] == EngineIoWire.BinaryPrefix)
        {
            if (Base64.DecodeFromUtf8(packet[1..], scratch, out _, out int written) != OperationStatus.Done)
                return PollingPacketStatus.Malformed;
            type = EngineIoPacketType.Message;
            data = scratch[..written];
            isBinary = true;
            return PollingPacketStatus.Packet;
        }
        if (!EngineIoWire.TryGetType(packet[0], out type)) return PollingPacketStatus.Malformed;
        data = packet[1..];
        return PollingPacketStatus.Packet;
    }

    /// <summary>Scratch size that holds any binary packet of <paramref name="payloadLength"/> bytes once decoded.</summary>
    public static int MaxDecodedLength(int payloadLength) => Base64.GetMaxDecodedFromUtf8Length(payloadLength);
}

/// <summary>Writes packets in their long-polling form (one "segment" each; segments are later joined with 0x1e).</summary>
public static class PollingPayloadWriter
{
    public static int TextLength(int dataLength) => 1 + dataLength;

    public static int BinaryLength(int dataLength) => 1 + Base64.GetMaxEncodedToUtf8Length(dataLength);

    /// <summary>Type digit then data. Returns bytes written.</summary>
    public static int WriteText(Span<byte> destination, EngineIoPacketType type, ReadOnlySpan<byte> data)
    {
        destination[0] = type.ToByte();
        data.CopyTo(destination[1..]);
        return 1 + data.Length;
    }

    /// <summary>'b' then base64. Returns bytes written.</summary>
    public static int WriteBinary(Span<byte> destination, ReadOnlySpan<byte> data)
    {
        destination[0] = EngineIoWire.BinaryPrefix;
        Base64.EncodeToUtf8(data, destination[1..], out _, out int written);
        return 1 + written;
    }
}
