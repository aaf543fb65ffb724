using System.Buffers;
using FastRealtime.Transport.WebSockets;

namespace FastRealtime.LoadGen.Net;

/// <summary>Passed by ref to the frame reader: direct calls, no boxing (see <see cref="IWebSocketFrameHandler"/>).</summary>
internal struct FrameDispatcher : IWebSocketFrameHandler
{
    private readonly WsClientConnection _connection;

    public FrameDispatcher(WsClientConnection connection) => _connection = connection;

    public readonly void OnMessage(WebSocketMessageKind kind, in ReadOnlySequence<byte> payload) => _connection.Listener.OnMessage(kind, payload);

    public readonly void OnPing(in ReadOnlySequence<byte> payload) => _connection.QueuePong(payload);

    public readonly void OnPong(in ReadOnlySequence<byte> payload) { }

    public readonly void OnClose(ushort code, in ReadOnlySequence<byte> reason) => _connection.OnServerClose();
}
