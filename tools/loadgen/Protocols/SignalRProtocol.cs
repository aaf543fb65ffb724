using System.Buffers;
using FastRealtime.Transport.WebSockets;

namespace FastRealtime.LoadGen.Protocols;

/// <summary>
/// ASP.NET Core SignalR's JSON hub protocol v1: records of UTF-8 JSON, each ended by the record separator 0x1E.
/// A publication invokes <c>{"type":1,"target":"broadcast","arguments":["room-0","STAMP…"]}␞</c>; a request (echo)
/// invokes <c>{"type":1,"target":"echo","arguments":["STAMP…"]}␞</c> and the hub answers with an invocation of
/// <c>echo</c> on the caller. Invocations are fire-and-forget (no invocationId): the reply is the hub's own message.
/// The session layer (<see cref="Sessions.SignalRSession"/>) splits frames into records before they get here.
/// </summary>
public sealed class SignalRProtocol : ILoadProtocol
{
    public const byte RecordSeparator = 0x1E;

    public static readonly SignalRProtocol Instance = new();

    private const string Suffix = "\"]}\u001e";

    public string Name => "signalr";
    public WebSocketOpcode Opcode => WebSocketOpcode.Text;
    public int StampLength => StampCodec.TextLength;
    public int MinimumPayloadSize => TextPayloads.MinimumSize(Prefix("broadcast", "room-0"), Suffix);

    // Hub method names are matched case-insensitively by the server, so the event name serves as the target as is.
    private static string Prefix(string target, string? room) =>
        $"{{\"type\":1,\"target\":{TextPayloads.Quote(target)},\"arguments\":[{(room is null ? "" : TextPayloads.Quote(room) + ",")}\"";

    public byte[] CreatePayload(string eventName, string? room, int size, out int stampOffset) =>
        TextPayloads.Build(Prefix(eventName, room), Suffix, size, out stampOffset);

    public void WriteStamp(Span<byte> destination, long timestamp, int publisherId) => StampCodec.WriteText(destination, timestamp, publisherId);

    /// <summary>Reads the stamp from one record (with or without its separator).</summary>
    public bool TryReadStamp(in ReadOnlySequence<byte> payload, out long timestamp, out int publisherId)
    {
        ReadOnlySequence<byte> record = payload;
        SequencePosition? separator = record.PositionOf(RecordSeparator);
        if (separator is { } end) record = record.Slice(0, end);
        return TextPayloads.TryFindStamp(record, out timestamp, out publisherId);
    }
}
