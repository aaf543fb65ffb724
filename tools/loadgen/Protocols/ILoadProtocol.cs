using System.Buffers;
using FastRealtime.Transport.WebSockets;

namespace FastRealtime.LoadGen.Protocols;

/// <summary>
/// How a scenario's messages look on the wire. A protocol builds a payload template once; the hot path only patches
/// the stamp field (send timestamp + publisher id) in place, so adding a protocol never touches
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
    /// <paramref name="eventName"/>, with a zero stamp at the returned offset. <paramref name="room"/> null: a request
    /// the server answers to the sender (echo); set: a publication into that room (protocols that address rooms in
    /// the message, Socket.IO and SignalR, write it there; the others take the room from the URL).</summary>
    byte[] CreatePayload(string eventName, string? room, int size, out int stampOffset);

    /// <summary>Writes the stamp into exactly <see cref="StampLength"/> bytes.</summary>
    void WriteStamp(Span<byte> destination, long timestamp, int publisherId);

    /// <summary>Finds and decodes the stamp in a received message; false when the message carries none.</summary>
    bool TryReadStamp(in ReadOnlySequence<byte> payload, out long timestamp, out int publisherId);
}

public static class LoadProtocols
{
    public static ILoadProtocol Create(Options.LoadOptions options) => options.Protocol switch
    {
        Options.LoadProtocolKind.Json => JsonEventProtocol.Instance,
        Options.LoadProtocolKind.SocketIo => new SocketIoProtocol(options.Namespace),
        Options.LoadProtocolKind.SignalR => SignalRProtocol.Instance,
        _ => options.Binary ? RawWebSocketProtocol.BinaryInstance : RawWebSocketProtocol.TextInstance,
    };
}
