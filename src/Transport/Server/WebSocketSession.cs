using System.Buffers;
using System.Text;
using FastRealtime.Core.Buffers;
using FastRealtime.Core.Connections;
using FastRealtime.Transport.Http;
using FastRealtime.Transport.WebSockets;

namespace FastRealtime.Transport.Server;

/// <summary>
/// A server-side WebSocket on one connection: reads frames, answers pings, runs the close handshake and the
/// heartbeat, and hands complete messages to its <see cref="IWebSocketApplication"/>.
/// </summary>
/// <remarks>
/// Thread safety: the Send methods and <see cref="Close"/> may be called from any thread; frames are queued whole,
/// so frames of different messages never interleave. Everything else runs on the connection's receive path.
/// Close-sent and close-received are separate facts (RFC 6455 §7.1): the session ends when both are true, when the
/// peer's TCP connection ends, or when the close timeout passes.
/// </remarks>
public sealed class WebSocketSession : IConnectionProtocol, IWebSocketFrameHandler
{
    private readonly Connection _connection;
    private readonly IWebSocketApplication _application;
    private readonly WebSocketServerOptions _options;
    private readonly WebSocketFrameReader _reader;
    private long _lastReceiveTicks;
    private int _closeSent; // 1 once our close frame is queued
    private bool _pingOutstanding;
    private long _pingSentTicks;
    private ushort _closeCode = WebSocketCloseCodes.AbnormalClosure;

    internal WebSocketSession(Connection connection, IWebSocketApplication application, WebSocketServerOptions options, string? subprotocol)
    {
        _connection = connection;
        _application = application;
        _options = options;
        Subprotocol = subprotocol;
        _reader = new WebSocketFrameReader(WebSocketRole.Server, options.WebSocket);
    }

    public long Id => _connection.Id;

    public Connection Connection => _connection;

    public string? Subprotocol { get; }

    /// <summary>Application state attached to the session (the authenticated user, the gateway client, ...).</summary>
    public object? State { get; set; }

    public bool IsCloseSent => Volatile.Read(ref _closeSent) != 0;

    /// <summary>Frames and queues one complete message.</summary>
    public SendResult Send(WebSocketMessageKind kind, ReadOnlySpan<byte> payload, bool isVolatile = false)
    {
        if (IsCloseSent) return SendResult.Closed;
        var opcode = kind == WebSocketMessageKind.Text ? WebSocketOpcode.Text : WebSocketOpcode.Binary;
        var frame = SharedBuffer.Rent(WebSocketFrameWriter.GetFrameSize(payload.Length, masked: false));
        WebSocketFrameWriter.WriteFrame(frame.Span, opcode, payload);
        return SendAndRelease(frame, isVolatile);
    }

    /// <summary>Frames and queues one complete message held in a (possibly multi-segment) sequence.</summary>
    public SendResult Send(WebSocketMessageKind kind, in ReadOnlySequence<byte> payload, bool isVolatile = false)
    {
        if (payload.IsSingleSegment) return Send(kind, payload.FirstSpan, isVolatile);
        if (IsCloseSent) return SendResult.Closed;
        var opcode = kind == WebSocketMessageKind.Text ? WebSocketOpcode.Text : WebSocketOpcode.Binary;
        int length = checked((int)payload.Length);
        var frame = SharedBuffer.Rent(WebSocketFrameWriter.GetFrameSize(length, masked: false));
        int header = WebSocketFrameWriter.WriteHeader(frame.Span, opcode, length);
        payload.CopyTo(frame.Span[header..]);
        return SendAndRelease(frame, isVolatile);
    }

    /// <summary>Queues a frame built once for many recipients (a broadcast); the session takes its own reference.</summary>
    public SendResult SendFramed(SharedBuffer frame, bool isVolatile = false) =>
        IsCloseSent ? SendResult.Closed : _connection.Send(frame, 0, frame.Length, isVolatile);

    private SendResult SendAndRelease(SharedBuffer frame, bool isVolatile)
    {
        var result = _connection.Send(frame, 0, frame.Length, isVolatile);
        frame.Release();
        return result;
    }

    /// <summary>Starts the close handshake: queues a close frame and waits (bounded) for the peer's.</summary>
    public void Close(ushort code = WebSocketCloseCodes.NormalClosure, string? reason = null)
    {
        if (!TrySendClose(code, reason)) return;
        _connection.ScheduleTimer(_options.CloseTimeout);
    }

    private bool TrySendClose(ushort code, string? reason)
    {
        if (Interlocked.Exchange(ref _closeSent, 1) != 0) return false;
        _closeCode = code;
        Span<byte> reasonBytes = stackalloc byte[123];
        int reasonLength = reason is null ? 0 : Utf8Truncated(reason, reasonBytes);
        var frame = SharedBuffer.Rent(WebSocketFrameWriter.MaxHeaderSize + 2 + reasonLength);
        int written = code == WebSocketCloseCodes.NoStatusReceived
            ? WebSocketFrameWriter.WriteFrame(frame.Span, WebSocketOpcode.Close, ReadOnlySpan<byte>.Empty)
            : WebSocketFrameWriter.WriteClose(frame.Span, code, reasonBytes[..reasonLength]);
        frame.Truncate(written);
        _connection.Send(frame, 0, written);
        frame.Release();
        _connection.Metrics.CloseObserved(code);
        return true;
    }

    // A close reason is at most 123 bytes (a control frame carries 125, two are the code); cut on a character boundary.
    private static int Utf8Truncated(string reason, Span<byte> destination)
    {
        var encoder = Encoding.UTF8.GetEncoder();
        encoder.Convert(reason.AsSpan(), destination, flush: true, out _, out int bytesUsed, out _);
        return bytesUsed;
    }

    /// <summary>Takes over the connection and announces the session to the application; the request head is not kept.</summary>
    internal void Open(HttpRequestHead request)
    {
        _connection.Protocol = this;
        _lastReceiveTicks = Environment.TickCount64;
        _connection.ScheduleTimer(_options.PingInterval < _options.IdleTimeout ? _options.PingInterval : _options.IdleTimeout);
        _application.OnOpen(this, request);
    }

    void IConnectionProtocol.OnData(Connection connection, ref ReadOnlySequence<byte> buffer)
    {
        _lastReceiveTicks = Environment.TickCount64;
        var handler = this;
        long framesBefore = _reader.FramesRead;
        var error = _reader.Read(ref buffer, ref handler);
        connection.Metrics.FramesIn(_reader.FramesRead - framesBefore);
        if (error != FrameError.None)
        {
            // RFC 6455 §7.1.7: fail the connection — send the matching close code and stop reading.
            TrySendClose(error.ToCloseCode(), error.ToMessage());
            buffer = buffer.Slice(buffer.End);
            connection.Close();
            return;
        }
        if (_reader.CloseReceived)
        {
            // Both closes are known now (ours was queued by OnClose or earlier): the server closes TCP first (§7.1.1).
            buffer = buffer.Slice(buffer.End);
            connection.Close();
        }
    }

    void IConnectionProtocol.OnClosed(Connection connection)
    {
        _reader.Dispose();
        _application.OnClose(this, _closeCode);
    }

    void IWebSocketFrameHandler.OnMessage(WebSocketMessageKind kind, in ReadOnlySequence<byte> payload)
    {
        _connection.Metrics.MessageIn();
        if (IsCloseSent) return; // RFC 6455 §5.5.1: after sending close, no more data is processed
        _application.OnMessage(this, kind, payload);
    }

    void IWebSocketFrameHandler.OnPing(in ReadOnlySequence<byte> payload)
    {
        if (IsCloseSent) return;
        Span<byte> frame = stackalloc byte[WebSocketFrameWriter.MaxHeaderSize + 125];
        Span<byte> body = stackalloc byte[125];
        payload.CopyTo(body);
        int written = WebSocketFrameWriter.WriteFrame(frame, WebSocketOpcode.Pong, body[..(int)payload.Length]);
        // Volatile: a peer that floods pings and never reads gets fewer pongs, never unbounded memory (RFC 6455 §5.5.3
        // allows answering only the most recent ping).
        _connection.Send(frame[..written], isVolatile: true);
    }

    void IWebSocketFrameHandler.OnPong(in ReadOnlySequence<byte> payload) => _pingOutstanding = false;

    void IWebSocketFrameHandler.OnClose(ushort code, in ReadOnlySequence<byte> reason)
    {
        // Echo the peer's code (RFC 6455 §5.5.1); 1005 means it sent none, so neither do we.
        if (!TrySendClose(code, null)) return;
        _closeCode = code;
    }

    void IConnectionProtocol.OnTimer(Connection connection)
    {
        if (IsCloseSent)
        {
            connection.Abort(ConnectionEndReason.Timeout); // the peer never answered our close
            return;
        }
        long now = Environment.TickCount64;
        long quietMs = now - Volatile.Read(ref _lastReceiveTicks);
        long idleMs = (long)_options.IdleTimeout.TotalMilliseconds;
        long pingMs = (long)_options.PingInterval.TotalMilliseconds;
        // A peer is dropped only for not answering a ping we sent, and only after it had the usual time to answer
        // (idle - ping interval). The shared timer can fire late (a busy thread pool); a peer must not pay for that
        // by being dropped before it was ever asked.
        long answerMs = Math.Max(idleMs - pingMs, 1);
        if (quietMs >= idleMs && _pingOutstanding && now - _pingSentTicks >= answerMs)
        {
            connection.Metrics.CloseObserved(WebSocketCloseCodes.AbnormalClosure);
            connection.Abort(ConnectionEndReason.Timeout);
            return;
        }
        if (quietMs >= pingMs && !_pingOutstanding)
        {
            _pingOutstanding = true;
            _pingSentTicks = now;
            Span<byte> ping = stackalloc byte[2];
            int written = WebSocketFrameWriter.WriteFrame(ping, WebSocketOpcode.Ping, ReadOnlySpan<byte>.Empty);
            connection.Send(ping[..written], isVolatile: true);
        }
        long next = _pingOutstanding
            ? Math.Max(idleMs - quietMs, _pingSentTicks + answerMs - now)
            : pingMs - quietMs;
        connection.ScheduleTimer(TimeSpan.FromMilliseconds(Math.Max(next, 1)));
    }

    void IConnectionProtocol.OnShutdownRequested(Connection connection) => Close(WebSocketCloseCodes.GoingAway, "server shutting down");
}
