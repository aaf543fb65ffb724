using System.Buffers;
using FastRealtime.Transport.WebSockets;

namespace FastRealtime.LoadGen.Protocols;

/// <summary>
/// How a scenario's messages look on the wire. A protocol builds a payload template once; the hot path only patches
/// the stamp field (send timestamp + publisher id) in place, so adding a protocol (Socket.IO next) never touches
/// the connection or scenario code.
/// </summary>
public interface ILoadProtocol
{
    string Name { get; }

    /// <summary>Opcode of every data message the protocol sends.</summary>
    WebSocketOpcode Opcode { get; }

    /// <summary>Smallest payload that can carry the stamp.</summary>
    int MinimumPayloadSize { get; }

    /// <summary>Bytes of the stamp field inside the payload.</summary>
    int StampLength { get; }

    /// <summary>A payload of exactly <paramref name="size"/> bytes (at least <see cref="MinimumPayloadSize"/>) for
    /// <paramref name="eventName"/>, with a zero stamp at the returned offset.</summary>
    byte[] CreatePayload(string eventName, int size, out int stampOffset);

    /// <summary>Writes the stamp into exactly <see cref="StampLength"/> bytes.</summary>
    void WriteStamp(Span<byte> destination, long timestamp, int publisherId);

    /// <summary>Finds and decodes the stamp in a received message; false when the message carries none.</summary>
    bool TryReadStamp(in ReadOnlySequence<byte> payload, out long timestamp, out int publisherId);
}

public static class LoadProtocols
{
    public static ILoadProtocol Create(Options.LoadProtocolKind kind, bool binary) => kind switch
    {
        Options.LoadProtocolKind.Json => JsonEventProtocol.Instance,
        _ => binary ? RawWebSocketProtocol.BinaryInstance : RawWebSocketProtocol.TextInstance,
    };
}
