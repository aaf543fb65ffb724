using FastRealtime.Core.Buffers;
using FastRealtime.Core.Connections;
using FastRealtime.Core.Timing;
using FastRealtime.Transport.Server;
using FastRealtime.Transport.WebSockets;

namespace FastRealtime.Transport.EngineIO;

/// <summary>
/// One Engine.IO v4 session: its transport (long-polling, or WebSocket after the upgrade or from the start), the packets
/// waiting for the next poll, the server-driven heartbeat, and the close.
/// </summary>
/// <remarks>
/// Thread safety: the Send methods and <see cref="Close"/> may be called from any thread. Once the session is on
/// WebSocket, sends go straight to the WebSocket's outbound queue without a lock; while it polls, they are queued under
/// <c>_sync</c>, and the switch to WebSocket drains that queue under the same lock, so no packet is lost or reordered.
/// The session is its own entry on the shared timer wheel (heartbeat and upgrade deadline): no timer per session.
/// </remarks>
public sealed partial class EngineIoSession : TimerWheelEntry
{
    private readonly EngineIoServer _server;
    private readonly EngineIoOptions _options;
    private readonly Lock _sync = new();
    private readonly Lock _receiveSync = new();
    private volatile WebSocketSession? _webSocket; // the active WebSocket transport, once upgraded
    private int _closed;

    internal EngineIoSession(EngineIoServer server, string id, WebSocketSession? webSocket)
    {
        _server = server;
        _options = server.Options;
        Id = id;
        _webSocket = webSocket;
    }

    /// <summary>The session id ("sid"): 120 random bits, base64url.</summary>
    public string Id { get; }

    public EngineIoTransport Transport => _webSocket is null ? EngineIoTransport.Polling : EngineIoTransport.WebSocket;

    public bool IsClosed => Volatile.Read(ref _closed) != 0;

    /// <summary>Why the session ended; null while open.</summary>
    public string? CloseReason { get; private set; }

    /// <summary>Application state (the Socket.IO client of this session).</summary>
    public object? State { get; set; }

    /// <summary>Sends a text packet ("message" for application data).</summary>
    public SendResult SendText(EngineIoPacketType type, ReadOnlySpan<byte> data, bool isVolatile = false)
    {
        var webSocket = _webSocket;
        if (webSocket is not null) return SendTextFrame(webSocket, type, data, isVolatile);
        lock (_sync)
        {
            webSocket = _webSocket;
            if (webSocket is not null) return SendTextFrame(webSocket, type, data, isVolatile);
            var segment = SharedBuffer.Rent(PollingPayloadWriter.TextLength(data.Length));
            PollingPayloadWriter.WriteText(segment.Span, type, data);
            return EnqueueLockedAndRelease(segment, isVolatile);
        }
    }

    /// <summary>Sends a binary "message" packet (a binary frame on WebSocket, "b"+base64 when polling).</summary>
    public SendResult SendBinary(ReadOnlySpan<byte> data, bool isVolatile = false)
    {
        var webSocket = _webSocket;
        if (webSocket is not null) return webSocket.Send(WebSocketMessageKind.Binary, data, isVolatile);
        lock (_sync)
        {
            webSocket = _webSocket;
            if (webSocket is not null) return webSocket.Send(WebSocketMessageKind.Binary, data, isVolatile);
            var segment = SharedBuffer.Rent(PollingPayloadWriter.BinaryLength(data.Length));
            segment.Truncate(PollingPayloadWriter.WriteBinary(segment.Span, data));
            return EnqueueLockedAndRelease(segment, isVolatile);
        }
    }

    /// <summary>
    /// Queues a message built once for many sessions by <see cref="EngineIoMessageBuffers"/>, in either form; the session
    /// takes its own reference. A form that does not match the current transport (a broadcast racing an upgrade) is converted.
    /// </summary>
    public SendResult SendEncoded(SharedBuffer encoded, bool isVolatile = false)
    {
        bool isWebSocketForm = EngineIoMessageBuffers.IsWebSocketForm(encoded.Span);
        var webSocket = _webSocket;
        if (webSocket is not null && isWebSocketForm) return webSocket.SendFramed(encoded, isVolatile);
        lock (_sync)
        {
            webSocket = _webSocket;
            if (webSocket is not null)
            {
                if (isWebSocketForm) return webSocket.SendFramed(encoded, isVolatile);
                var frames = EngineIoMessageBuffers.PollingToWebSocket(encoded.Span);
                var sent = webSocket.SendFramed(frames, isVolatile);
                frames.Release();
                return sent;
            }
            if (isWebSocketForm) return EnqueueLockedAndRelease(EngineIoMessageBuffers.WebSocketToPolling(encoded.Span), isVolatile);
            encoded.AddReference();
            return EnqueueLockedAndRelease(encoded, isVolatile);
        }
    }

    private static SendResult SendTextFrame(WebSocketSession webSocket, EngineIoPacketType type, ReadOnlySpan<byte> data, bool isVolatile)
    {
        int payload = 1 + data.Length;
        var frame = SharedBuffer.Rent(WebSocketFrameWriter.GetFrameSize(payload, masked: false));
        var span = frame.Span;
        int header = WebSocketFrameWriter.WriteHeader(span, WebSocketOpcode.Text, payload);
        span[header] = type.ToByte();
        data.CopyTo(span[(header + 1)..]);
        var result = webSocket.SendFramed(frame, isVolatile);
        frame.Release();
        return result;
    }

    /// <summary>Ends the session: the transport is closed and the handler told, once. Idempotent.</summary>
    /// <remarks>
    /// A polling session closed by the server while no poll waits stays findable (bounded by pingTimeout) so the client's
    /// next poll gets the close packet "1" rather than a 400, as the engine.io server does; then it is forgotten.
    /// </remarks>
    public void Close(string reason = "forced close")
    {
        if (Interlocked.Exchange(ref _closed, 1) != 0) return;
        CloseReason = reason;
        WebSocketSession? webSocket;
        WebSocketSession? probe;
        bool linger;
        lock (_sync)
        {
            webSocket = _webSocket;
            probe = _probe;
            _probe = null;
            linger = webSocket is null && _poll is null && reason != "transport close";
            _closePacketPending = linger;
            ClosePollingLocked();
        }
        if (linger) _server.TimerWheel.Schedule(this, _options.PingTimeout);
        else
        {
            _server.Forget(this);
            _server.TimerWheel.Cancel(this);
        }
        webSocket?.Close(WebSocketCloseCodes.NormalClosure);
        probe?.Close(WebSocketCloseCodes.NormalClosure);
        lock (_receiveSync) _server.Handler.OnClose(this, reason);
    }

    /// <summary>Hands one incoming packet to its meaning. Under <c>_receiveSync</c>: a session's packets never overlap.</summary>
    private void OnPacket(EngineIoPacketType type, ReadOnlySpan<byte> data, bool isBinary)
    {
        switch (type)
        {
            case EngineIoPacketType.Message:
                lock (_receiveSync)
                {
                    if (!IsClosed) _server.Handler.OnMessage(this, data, isBinary);
                }
                break;
            case EngineIoPacketType.Pong:
                OnPong();
                break;
            case EngineIoPacketType.Close:
                Close("transport close");
                break;
            case EngineIoPacketType.Noop:
                break;
            case EngineIoPacketType.Ping:
                Close("invalid heartbeat direction"); // v4: only the server pings
                break;
            default:
                Close("parse error");
                break;
        }
    }
}
