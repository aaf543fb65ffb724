using System.Buffers;
using FastRealtime.Transport.WebSockets;

namespace FastRealtime.LoadGen.Protocols;

/// <summary>
/// Socket.IO v5 packets in Engine.IO v4 message packets, one per WebSocket text frame (the websocket transport never
/// batches). A publication is an EVENT <c>42["broadcast","room-0","STAMP…"]</c>; a request (echo) is an EVENT with an
/// ack id, <c>421["echo","STAMP…"]</c>, answered by the ACK <c>431["STAMP…"]</c>. Every echo on a connection reuses
/// ack id 1: servers only copy the id into the ACK, and the echo session matches replies in order.
/// In a namespace other than "/", the namespace and a comma follow the type digits: <c>42/chat,["broadcast",…]</c>.
/// </summary>
public sealed class SocketIoProtocol : ILoadProtocol
{
    /// <summary>The ack id of every echo request (and of the join at session start).</summary>
    public const string RequestAckId = "1";

    private const string Suffix = "\"]";
    private readonly string _namespacePrefix;

    public SocketIoProtocol(string nameSpace) => _namespacePrefix = NamespacePrefix(nameSpace);

    public string Name => "socketio";
    public WebSocketOpcode Opcode => WebSocketOpcode.Text;
    public int StampLength => StampCodec.TextLength;
    public int MinimumPayloadSize => TextPayloads.MinimumSize(Prefix("broadcast", "room-0"), Suffix);

    /// <summary>"" for the main namespace, else "/name," as it follows the packet type.</summary>
    public static string NamespacePrefix(string nameSpace) => nameSpace == "/" ? "" : nameSpace + ",";

    public byte[] CreatePayload(string eventName, string? room, int size, out int stampOffset) =>
        TextPayloads.Build(Prefix(eventName, room), Suffix, size, out stampOffset);

    private string Prefix(string eventName, string? room) => room is null
        ? $"42{_namespacePrefix}{RequestAckId}[{TextPayloads.Quote(eventName)},\""
        : $"42{_namespacePrefix}[{TextPayloads.Quote(eventName)},{TextPayloads.Quote(room)},\"";

    public void WriteStamp(Span<byte> destination, long timestamp, int publisherId) => StampCodec.WriteText(destination, timestamp, publisherId);

    /// <summary>Reads the stamp from an EVENT (<c>42["broadcast","STAMP…"]</c>) or an ACK (<c>431["STAMP…"]</c>).</summary>
    public bool TryReadStamp(in ReadOnlySequence<byte> payload, out long timestamp, out int publisherId)
    {
        timestamp = 0;
        publisherId = 0;
        SocketIoPacketHead head = SocketIoPacketHead.Parse(payload);
        return head.Engine == SocketIoPacketHead.EngineMessage && head.DataStart >= 0
            && TextPayloads.TryFindStamp(payload.Slice(head.DataStart), out timestamp, out publisherId);
    }
}

/// <summary>
/// The head of one Engine.IO v4 packet and, for a message packet, of the Socket.IO packet inside:
/// <c>&lt;engine type&gt;[&lt;socket type&gt;[/namespace,][ack id]]&lt;data&gt;</c>. Parsed from a stack copy of the first bytes.
/// </summary>
public readonly struct SocketIoPacketHead
{
    public const byte EngineOpen = (byte)'0', EngineClose = (byte)'1', EnginePing = (byte)'2', EngineMessage = (byte)'4';
    public const byte Connect = (byte)'0', Disconnect = (byte)'1', Event = (byte)'2', Ack = (byte)'3', ConnectError = (byte)'4';

    private const int MaxHead = 128;

    /// <summary>Engine.IO packet type character, 0 for an empty packet.</summary>
    public byte Engine { get; init; }
    /// <summary>Socket.IO packet type character inside a message packet, else 0.</summary>
    public byte Socket { get; init; }
    /// <summary>Ack id of an EVENT or ACK, -1 when absent.</summary>
    public long AckId { get; init; }
    /// <summary>Offset of the JSON data after the head, -1 when the head runs past the first bytes or is malformed.</summary>
    public int DataStart { get; init; }

    public static SocketIoPacketHead Parse(in ReadOnlySequence<byte> packet)
    {
        Span<byte> head = stackalloc byte[MaxHead];
        int length = (int)Math.Min(packet.Length, MaxHead);
        packet.Slice(0, length).CopyTo(head);
        return Parse(head[..length]);
    }

    public static SocketIoPacketHead Parse(ReadOnlySpan<byte> head)
    {
        if (head.IsEmpty) return new SocketIoPacketHead { AckId = -1, DataStart = -1 };
        if (head[0] != EngineMessage || head.Length < 2) return new SocketIoPacketHead { Engine = head[0], AckId = -1, DataStart = 1 };
        int i = 2;
        if (i < head.Length && head[i] == (byte)'/')
        {
            int comma = head[i..].IndexOf((byte)',');
            i = comma < 0 ? head.Length : i + comma + 1;  // a namespace packet with no data ends after the name
        }
        long ack = -1;
        while (i < head.Length && head[i] is >= (byte)'0' and <= (byte)'9' && ack < long.MaxValue / 10) ack = (ack < 0 ? 0 : ack * 10) + (head[i++] - '0');
        bool complete = i < head.Length || head.Length < MaxHead;
        return new SocketIoPacketHead { Engine = EngineMessage, Socket = head[1], AckId = ack, DataStart = complete ? i : -1 };
    }
}
