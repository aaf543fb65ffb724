using System.Buffers;
using FastRealtime.Transport.WebSockets;

namespace FastRealtime.LoadGen.Net;

/// <summary>
/// The answer to the server's pings: the last unanswered ping's payload, sent back in a masked pong (RFC 6455
/// §5.5.2-3; answering only the most recent ping is allowed). Created on a connection's first ping, so connections
/// that are never pinged carry nothing. Not thread-safe: owned by the connection's receive path.
/// </summary>
internal sealed class PendingPong
{
    private readonly byte[] _payload = new byte[WebSocketFrameWriter.MaxControlPayloadLength];
    private readonly byte[] _frame = new byte[WebSocketFrameWriter.MaxHeaderSize + WebSocketFrameWriter.MaxControlPayloadLength];
    private int _length = -1;

    public void Set(in ReadOnlySequence<byte> payload)
    {
        // Control payloads are at most 125 bytes (§5.5); the frame reader has checked that.
        payload.CopyTo(_payload);
        _length = (int)payload.Length;
    }

    /// <summary>The pong frame to send, if a ping is waiting for one; valid until the next call.</summary>
    public bool TryTake(out ReadOnlySpan<byte> frame)
    {
        frame = default;
        if (_length < 0) return false;
        int frameLength = WebSocketFrameWriter.WriteFrame(
            _frame, WebSocketOpcode.Pong, _payload.AsSpan(0, _length), masked: true, maskKey: WebSocketMaskKeys.Next());
        _length = -1;
        frame = _frame.AsSpan(0, frameLength);
        return true;
    }
}
