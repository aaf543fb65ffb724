using System.Buffers;

namespace FastRealtime.Transport.WebSockets;

/// <summary>
/// A null sink that only counts what the reader delivers: for benchmarks and allocation tests (visible to them
/// through InternalsVisibleTo), so the parse work cannot be optimized away and nothing is allocated.
/// </summary>
internal struct CountingFrameHandler : IWebSocketFrameHandler
{
    public long Messages;
    public long Bytes;

    public void OnMessage(WebSocketMessageKind kind, in ReadOnlySequence<byte> payload)
    {
        Messages++;
        Bytes += payload.Length;
    }

    public void OnPing(in ReadOnlySequence<byte> payload) => Messages++;

    public void OnPong(in ReadOnlySequence<byte> payload) => Messages++;

    public void OnClose(ushort code, in ReadOnlySequence<byte> reason) => Messages++;
}
