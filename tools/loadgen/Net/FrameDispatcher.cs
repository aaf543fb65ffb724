using System.Buffers;
using FastRealtime.Transport.WebSockets;

namespace FastRealtime.LoadGen.Net;

/// <summary>What a client connection does with control frames; data messages go to its listener.</summary>
internal interface IWsFrameTarget
{
    void OnPing(in ReadOnlySequence<byte> payload);

    void OnServerClose(ushort code);
}

/// <summary>Passed by ref to the frame reader: direct calls, no boxing (see <see cref="IWebSocketFrameHandler"/>).</summary>
internal readonly struct FrameDispatcher : IWebSocketFrameHandler
{
    private readonly IWsFrameTarget _target;
    private readonly IConnectionListener _listener;

    public FrameDispatcher(IWsFrameTarget target, IConnectionListener listener)
    {
        _target = target;
        _listener = listener;
    }

    public void OnMessage(WebSocketMessageKind kind, in ReadOnlySequence<byte> payload) => _listener.OnMessage(kind, payload);

    public void OnPing(in ReadOnlySequence<byte> payload) => _target.OnPing(payload);

    public void OnPong(in ReadOnlySequence<byte> payload) { }

    public void OnClose(ushort code, in ReadOnlySequence<byte> reason) => _target.OnServerClose(code);
}
