using System.Buffers;
using FastRealtime.Transport.WebSockets;

namespace FastRealtime.Tests.WebSockets.Framing;

/// <summary>One thing the reader delivered, with its payload as hex so lists compare by value and print readably.</summary>
internal sealed record FrameEvent(string Kind, string Hex, ushort Code = 0)
{
    public static FrameEvent Text(string utf8) => new("text", Convert.ToHexString(System.Text.Encoding.UTF8.GetBytes(utf8)));

    public static FrameEvent Text(byte[] bytes) => new("text", Convert.ToHexString(bytes));

    public static FrameEvent Binary(byte[] bytes) => new("binary", Convert.ToHexString(bytes));

    public static FrameEvent Ping(byte[] bytes) => new("ping", Convert.ToHexString(bytes));

    public static FrameEvent Pong(byte[] bytes) => new("pong", Convert.ToHexString(bytes));

    public static FrameEvent Close(ushort code, string reason = "") =>
        new("close", Convert.ToHexString(System.Text.Encoding.UTF8.GetBytes(reason)), code);

    public override string ToString() =>
        $"{Kind}{(Code != 0 ? $" {Code}" : "")} [{Hex.Length / 2} B] {(Hex.Length > 64 ? Hex[..64] + "…" : Hex)}";
}

internal sealed class RecordingHandler : IWebSocketFrameHandler
{
    public List<FrameEvent> Events { get; } = [];

    public WebSocketFrameReader? Reader { get; set; }

    public List<bool> Compressed { get; } = [];

    public void OnMessage(WebSocketMessageKind kind, in ReadOnlySequence<byte> payload)
    {
        Events.Add(kind == WebSocketMessageKind.Text ? FrameEvent.Text(payload.ToArray()) : FrameEvent.Binary(payload.ToArray()));
        Compressed.Add(Reader?.MessageCompressed ?? false);
    }

    public void OnPing(in ReadOnlySequence<byte> payload) => Events.Add(FrameEvent.Ping(payload.ToArray()));

    public void OnPong(in ReadOnlySequence<byte> payload) => Events.Add(FrameEvent.Pong(payload.ToArray()));

    public void OnClose(ushort code, in ReadOnlySequence<byte> reason) =>
        Events.Add(new FrameEvent("close", Convert.ToHexString(reason.ToArray()), code));
}
