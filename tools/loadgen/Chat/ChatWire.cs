using System.Buffers;
using System.Text;
using System.Text.Json;
using FastRealtime.LoadGen.Protocols;

namespace FastRealtime.LoadGen.Chat;

/// <summary>What one message from the chat server is, to the chat scenario.</summary>
public enum ChatInboundKind
{
    /// <summary>Anything the scenario does not count (chat:user-joined, chat:typing, pings handled below it…).</summary>
    Other,
    /// <summary>The answer to a request with an ack id (join or send).</summary>
    Ack,
    /// <summary>A <c>chat:message</c> from another member of the room.</summary>
    Message,
    /// <summary>The <c>exception</c> event: a refused request (validation, rate limit, not a member…).</summary>
    Exception,
}

/// <summary>One classified inbound message; <see cref="AckId"/> is -1 without one (an exception may carry the
/// refused request's), the stamp is the one in <c>text</c>.</summary>
public readonly record struct ChatInbound(ChatInboundKind Kind, long AckId, bool Delivered, bool HasStamp, long Stamp, int PublisherId);

/// <summary>
/// The chat contract (shared/spec/chat-protocol.md) on one wire: the requests the scenario sends, built once as
/// templates with fixed-width fields patched per message, and the classification of what comes back. Two wires:
/// plain WebSocket JSON <c>{"event","id","data"}</c> (acks come back as the same event name with the id) and
/// Socket.IO EVENT/ACK packets in a namespace.
/// </summary>
/// <remarks>
/// Ack ids of sends are <see cref="SendIdBase"/> + sequence: always ten digits, so the template's id field keeps its
/// width without leading zeros (which JSON numbers forbid). The join uses <see cref="JoinAckId"/>.
/// </remarks>
public abstract class ChatWire
{
    public const long JoinAckId = 1;
    public const long SendIdBase = 1_000_000_000;
    public const int SendIdDigits = 10;

    public const string JoinEvent = "chat:join-room", SendEvent = "chat:send-message", MessageEvent = "chat:message", ExceptionEvent = "exception";

    /// <summary>Longest text the server accepts (the spec: 1..2000 characters).</summary>
    public const int MaxText = 2000;

    public static ChatWire Json { get; } = new JsonChatWire();

    public static ChatWire SocketIo(string nameSpace) => new SocketIoChatWire(nameSpace);

    /// <summary>The <c>chat:join-room</c> request for <paramref name="room"/> with ack id <see cref="JoinAckId"/>.</summary>
    public byte[] JoinPayload(string room) => Encoding.UTF8.GetBytes(Envelope(JoinEvent, JoinAckId.ToString(), $"{{\"roomId\":{TextPayloads.Quote(room)}}}"));

    /// <summary>
    /// The <c>chat:send-message</c> template: text of <paramref name="textLength"/> characters (stamp first, then 'x'),
    /// ack id <see cref="SendIdBase"/>; returns where the id digits and the stamp lie in the payload.
    /// </summary>
    public byte[] SendPayload(string room, int textLength, out int idOffset, out int stampOffset)
    {
        int length = Math.Clamp(textLength, StampCodec.TextLength, MaxText);
        const string TextMarker = "\u0001";
        string text = TextMarker + new string('x', length - StampCodec.TextLength);
        string envelope = Envelope(SendEvent, SendIdBase.ToString(), $"{{\"roomId\":{TextPayloads.Quote(room)},\"text\":\"{text}\"}}");
        // The marker is the one character JSON would escape, so it cannot clash with the room name; replaced by the stamp.
        int marker = envelope.IndexOf(TextMarker, StringComparison.Ordinal);
        string withStamp = envelope[..marker] + new string('0', StampCodec.TextLength) + envelope[(marker + 1)..];
        byte[] payload = Encoding.UTF8.GetBytes(withStamp);
        stampOffset = Encoding.UTF8.GetByteCount(envelope.AsSpan(0, marker));
        idOffset = Encoding.UTF8.GetByteCount(envelope.AsSpan(0, envelope.IndexOf(SendIdBase.ToString(), StringComparison.Ordinal)));
        return payload;
    }

    /// <summary>The request as its wire writes it: the event, its ack id and the data object (raw JSON).</summary>
    protected abstract string Envelope(string eventName, string ackId, string data);

    /// <summary>What <paramref name="payload"/> is. Never allocates; a malformed message is <see cref="ChatInboundKind.Other"/>.</summary>
    public abstract ChatInbound Classify(in ReadOnlySequence<byte> payload);

    /// <summary>
    /// Walks one JSON value: the event name (the <c>event</c> property at depth 1, or the first string of the top-level
    /// array), the ack id (<c>id</c> number at depth 1), and anywhere inside, <c>status</c> and the stamp of <c>text</c>.
    /// </summary>
    protected static ChatInbound Walk(in ReadOnlySequence<byte> json, ChatInboundKind kindIfAck, long ackId, bool eventIsFirstString)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 32 });
        var kind = kindIfAck;
        bool delivered = false, hasStamp = false, sawEvent = false;
        long stamp = 0;
        int publisher = 0;
        try
        {
            while (reader.Read())
            {
                if (eventIsFirstString && !sawEvent && reader.TokenType == JsonTokenType.String && reader.CurrentDepth == 1)
                {
                    sawEvent = true;
                    kind = EventKind(ref reader);
                    continue;
                }
                if (reader.TokenType != JsonTokenType.PropertyName) continue;
                int depth = reader.CurrentDepth;
                bool isEvent = depth == 1 && !eventIsFirstString && reader.ValueTextEquals("event"u8);
                bool isId = depth == 1 && !eventIsFirstString && reader.ValueTextEquals("id"u8);
                bool isStatus = reader.ValueTextEquals("status"u8);
                bool isText = reader.ValueTextEquals("text"u8);
                if (!reader.Read()) break;
                if (isEvent && reader.TokenType == JsonTokenType.String && kind == ChatInboundKind.Other) kind = EventKind(ref reader);
                else if (isId && reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out long id))
                {
                    ackId = id;
                    if (kind != ChatInboundKind.Exception) kind = ChatInboundKind.Ack;
                }
                else if (isStatus && reader.TokenType == JsonTokenType.String) delivered = reader.ValueTextEquals("delivered"u8);
                else if (isText && reader.TokenType == JsonTokenType.String && !hasStamp) hasStamp = ReadStamp(ref reader, out stamp, out publisher);
            }
        }
        catch (JsonException)
        {
            return new ChatInbound(ChatInboundKind.Other, -1, false, false, 0, 0);
        }
        return new ChatInbound(kind, ackId, delivered, hasStamp, stamp, publisher);
    }

    private static ChatInboundKind EventKind(ref Utf8JsonReader reader) =>
        reader.ValueTextEquals("chat:message"u8) ? ChatInboundKind.Message
        : reader.ValueTextEquals("exception"u8) ? ChatInboundKind.Exception
        : ChatInboundKind.Other;

    private static bool ReadStamp(ref Utf8JsonReader reader, out long stamp, out int publisher)
    {
        Span<byte> head = stackalloc byte[StampCodec.TextLength];
        int length;
        if (reader.HasValueSequence)
        {
            ReadOnlySequence<byte> value = reader.ValueSequence;
            length = (int)Math.Min(value.Length, head.Length);
            value.Slice(0, length).CopyTo(head);
        }
        else
        {
            length = Math.Min(reader.ValueSpan.Length, head.Length);
            reader.ValueSpan[..length].CopyTo(head);
        }
        return StampCodec.TryReadText(head[..length], out stamp, out publisher);
    }
}

/// <summary>Plain WebSocket, JSON envelope: <c>{"event":"chat:send-message","id":1000000000,"data":{…}}</c>.</summary>
internal sealed class JsonChatWire : ChatWire
{
    protected override string Envelope(string eventName, string ackId, string data) =>
        $"{{\"event\":{TextPayloads.Quote(eventName)},\"id\":{ackId},\"data\":{data}}}";

    // Server events carry no id; an ack is the request's event name with its id.
    public override ChatInbound Classify(in ReadOnlySequence<byte> payload) => Walk(payload, ChatInboundKind.Other, -1, eventIsFirstString: false);
}

/// <summary>Socket.IO: <c>42/chat,1000000000["chat:send-message",{…}]</c>, answered by <c>43/chat,1000000000[{…}]</c>.</summary>
internal sealed class SocketIoChatWire(string nameSpace) : ChatWire
{
    private readonly string _namespacePrefix = SocketIoProtocol.NamespacePrefix(nameSpace);

    protected override string Envelope(string eventName, string ackId, string data) =>
        $"42{_namespacePrefix}{ackId}[{TextPayloads.Quote(eventName)},{data}]";

    public override ChatInbound Classify(in ReadOnlySequence<byte> payload)
    {
        SocketIoPacketHead head = SocketIoPacketHead.Parse(payload);
        if (head.Engine != SocketIoPacketHead.EngineMessage || head.DataStart < 0) return default(ChatInbound) with { AckId = -1 };
        ReadOnlySequence<byte> data = payload.Slice(head.DataStart);
        return head.Socket switch
        {
            SocketIoPacketHead.Ack => Walk(data, ChatInboundKind.Ack, head.AckId, eventIsFirstString: false),
            SocketIoPacketHead.Event => Walk(data, ChatInboundKind.Other, -1, eventIsFirstString: true),
            _ => default(ChatInbound) with { AckId = -1 },
        };
    }
}
