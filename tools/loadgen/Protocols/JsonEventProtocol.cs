using System.Buffers;
using FastRealtime.Transport.WebSockets;

namespace FastRealtime.LoadGen.Protocols;

/// <summary>
/// The NestJS gateway convention: text messages <c>{"event":"NAME","data":"STAMP…padding"}</c>. A server may
/// re-serialize what it relays (spacing, key order), so the stamp is found by looking for the data key.
/// </summary>
public sealed class JsonEventProtocol : ILoadProtocol
{
    public static readonly JsonEventProtocol Instance = new();

    private static ReadOnlySpan<byte> DataKey => "\"data\""u8;

    public string Name => "json";
    public WebSocketOpcode Opcode => WebSocketOpcode.Text;
    public int StampLength => StampCodec.TextLength;
    public int MinimumPayloadSize => TextPayloads.MinimumSize(Prefix("broadcast"), Suffix);

    private const string Suffix = "\"}";

    private static string Prefix(string eventName) => "{\"event\":" + TextPayloads.Quote(eventName) + ",\"data\":\"";

    public byte[] CreatePayload(string eventName, string? room, int size, out int stampOffset) =>
        TextPayloads.Build(Prefix(eventName), Suffix, size, out stampOffset);

    public void WriteStamp(Span<byte> destination, long timestamp, int publisherId) => StampCodec.WriteText(destination, timestamp, publisherId);

    public bool TryReadStamp(in ReadOnlySequence<byte> payload, out long timestamp, out int publisherId)
    {
        timestamp = 0;
        publisherId = 0;
        // Relayed messages are small; copy the first bytes to the stack rather than walk segments.
        Span<byte> window = stackalloc byte[256];
        int length = (int)Math.Min(payload.Length, window.Length);
        payload.Slice(0, length).CopyTo(window);
        window = window[..length];
        int key = window.IndexOf(DataKey);
        if (key < 0) return false;
        ReadOnlySpan<byte> rest = window[(key + DataKey.Length)..].TrimStart(" \t\r\n:"u8);
        if (rest.IsEmpty || rest[0] != (byte)'"') return false;
        return StampCodec.TryReadText(rest[1..], out timestamp, out publisherId);
    }
}
