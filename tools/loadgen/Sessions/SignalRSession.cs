using System.Buffers;
using System.Text.Json;
using FastRealtime.LoadGen.Net;
using FastRealtime.LoadGen.Protocols;
using FastRealtime.Transport.WebSockets;

namespace FastRealtime.LoadGen.Sessions;

/// <summary>
/// The client side of a SignalR JSON hub protocol session over WebSockets without negotiation (bench/compare/peers/
/// signalr/README.md): the client sends <c>{"protocol":"json","version":1}␞</c>, the server answers <c>{}␞</c>; in the
/// broadcast scenario the client then invokes <c>Join(room)</c> with an invocationId and waits for its completion
/// (type 3), so membership is certain before anyone publishes (the <c>?room=</c> auto-join is kept too). Frames are
/// split into 0x1E-separated records; invocations (type 1) go to the scenario; each server ping (type 6, every 15 s)
/// is answered with a ping, which keeps the client inside the server's 30 s client timeout without a timer.
/// </summary>
/// <remarks>
/// A record split across WebSocket messages (the README allows it; ASP.NET Core does not do it) is reassembled in a
/// carry buffer, the only allocation, and only when it happens. State is touched only by the receive path.
/// </remarks>
public sealed class SignalRSession : SessionConnection
{
    public const int InvocationType = 1, CompletionType = 3, PingType = 6, CloseType = 7;

    private static readonly byte[] Handshake = MaskedTextFrame("{\"protocol\":\"json\",\"version\":1}\u001e"u8);
    private static readonly byte[] Ping = MaskedTextFrame("{\"type\":6}\u001e"u8);

    private const int AwaitingHandshake = 0, AwaitingJoin = 1, Open = 2;

    private readonly byte[]? _joinFrame;
    private byte[]? _carry;
    private int _carryLength;
    private int _state;

    public SignalRSession(IClientConnection inner, byte[]? joinFrame) : base(inner) => _joinFrame = joinFrame;

    protected override string Kind => "signalr";

    protected override string PendingStep => Volatile.Read(ref _state) == AwaitingHandshake ? "handshake" : "join";

    /// <summary>The Join invocation that expects a completion: <c>{"type":1,"invocationId":"0","target":"Join","arguments":["room-0"]}␞</c>.</summary>
    public static string JoinRecord(string room) =>
        $"{{\"type\":1,\"invocationId\":\"0\",\"target\":\"Join\",\"arguments\":[{TextPayloads.Quote(room)}]}}\u001e";

    protected override void OnTransportOpen() => SendControl(Handshake);

    protected override void OnTransportMessage(WebSocketMessageKind kind, in ReadOnlySequence<byte> payload)
    {
        if (_carryLength == 0)
        {
            ReadOnlySequence<byte> rest = ReadRecords(kind, payload);
            if (!rest.IsEmpty) Carry(rest);
            return;
        }
        Carry(payload);
        ReadOnlySequence<byte> leftover = ReadRecords(kind, new ReadOnlySequence<byte>(_carry!, 0, _carryLength));
        int remaining = (int)leftover.Length;
        if (remaining > 0) leftover.CopyTo(_carry!.AsSpan(0, remaining)); // copying down within one array: source is after destination
        _carryLength = remaining;
    }

    /// <summary>Handles every complete record; returns the incomplete tail.</summary>
    private ReadOnlySequence<byte> ReadRecords(WebSocketMessageKind kind, ReadOnlySequence<byte> data)
    {
        while (data.PositionOf(SignalRProtocol.RecordSeparator) is { } separator)
        {
            OnRecord(kind, data.Slice(0, separator));
            data = data.Slice(data.GetPosition(1, separator));
        }
        return data;
    }

    private void Carry(in ReadOnlySequence<byte> bytes)
    {
        int needed = _carryLength + (int)bytes.Length;
        if (_carry is null || _carry.Length < needed) Array.Resize(ref _carry, Math.Max(needed, 2 * (_carry?.Length ?? 256)));
        bytes.CopyTo(_carry.AsSpan(_carryLength));
        _carryLength = needed;
    }

    private void OnRecord(WebSocketMessageKind kind, in ReadOnlySequence<byte> record)
    {
        Inspect(record, out int type, out bool hasError);
        if (_state == AwaitingHandshake)
        {
            if (hasError) Failed("signalr-handshake-error");
            else if (_joinFrame is null) OpenNow();
            else
            {
                _state = AwaitingJoin;
                SendControl(_joinFrame);
            }
            return;
        }
        switch (type)
        {
            case InvocationType when _state == Open:
                Deliver(kind, record);
                break;
            case CompletionType when _state == AwaitingJoin:
                if (hasError) Failed("signalr-join-error");
                else OpenNow();
                break;
            case PingType:
                SendControl(Ping);
                break;
        }
    }

    private void OpenNow()
    {
        _state = Open;
        Opened();
    }

    /// <summary>Reads the record's top-level <c>type</c> (-1 when absent) and whether it has an <c>error</c>.</summary>
    public static void Inspect(in ReadOnlySequence<byte> record, out int type, out bool hasError)
    {
        type = -1;
        hasError = false;
        var reader = new Utf8JsonReader(record);
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                bool isType = reader.ValueTextEquals("type"u8);
                if (reader.ValueTextEquals("error"u8)) hasError = true;
                if (!reader.Read()) return;
                if (isType && reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out int value)) type = value;
                else if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray) reader.Skip();
            }
        }
        catch (JsonException)
        {
            // A malformed record is ignored like an unknown one.
        }
    }
}
