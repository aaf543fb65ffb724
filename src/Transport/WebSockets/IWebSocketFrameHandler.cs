using System.Buffers;

namespace FastRealtime.Transport.WebSockets;

/// <summary>
/// Receives what <see cref="WebSocketFrameReader"/> parses. Implement it on a struct and pass it by ref so the
/// calls are direct (no interface dispatch, no boxing). Every payload is unmasked and is valid ONLY for the
/// duration of the call: it points into the caller's input buffer or into a pooled buffer that is reused.
/// </summary>
public interface IWebSocketFrameHandler
{
    /// <summary>A complete message (all fragments joined); text has been validated as UTF-8.</summary>
    void OnMessage(WebSocketMessageKind kind, in ReadOnlySequence<byte> payload);

    /// <summary>A ping; the endpoint should answer with a pong carrying the same payload (RFC 6455 §5.5.2).</summary>
    void OnPing(in ReadOnlySequence<byte> payload);

    /// <summary>A pong, solicited or not (RFC 6455 §5.5.3).</summary>
    void OnPong(in ReadOnlySequence<byte> payload);

    /// <summary>
    /// A valid close frame. <paramref name="code"/> is <see cref="WebSocketCloseCodes.NoStatusReceived"/> (1005)
    /// when the frame had no payload; <paramref name="reason"/> is validated UTF-8 and may be empty.
    /// </summary>
    void OnClose(ushort code, in ReadOnlySequence<byte> reason);
}
