namespace FastRealtime.Transport.WebSockets;

/// <summary>The single table from <see cref="FrameError"/> to the close code to send and a stable, loggable message.</summary>
public static class FrameErrors
{
    /// <summary>The close code the endpoint sends after this error (1002, 1007 or 1009; 1000 for <see cref="FrameError.None"/>).</summary>
    public static ushort ToCloseCode(this FrameError error) => Describe(error).Code;

    /// <summary>A short message that never changes for a given error (safe to log, to match on, and to send as a close reason).</summary>
    public static string ToMessage(this FrameError error) => Describe(error).Message;

    private static (ushort Code, string Message) Describe(FrameError error) => error switch
    {
        FrameError.None => (WebSocketCloseCodes.NormalClosure, "no error"),
        FrameError.ReservedBitsSet => (WebSocketCloseCodes.ProtocolError, "reserved bits set"),
        FrameError.ReservedOpcode => (WebSocketCloseCodes.ProtocolError, "reserved opcode"),
        FrameError.ControlFrameTooLong => (WebSocketCloseCodes.ProtocolError, "control frame payload over 125 bytes"),
        FrameError.ControlFrameFragmented => (WebSocketCloseCodes.ProtocolError, "fragmented control frame"),
        FrameError.MaskRequired => (WebSocketCloseCodes.ProtocolError, "client frame not masked"),
        FrameError.MaskNotAllowed => (WebSocketCloseCodes.ProtocolError, "server frame masked"),
        FrameError.UnexpectedContinuation => (WebSocketCloseCodes.ProtocolError, "continuation frame without a message"),
        FrameError.ContinuationExpected => (WebSocketCloseCodes.ProtocolError, "new message before the previous one ended"),
        FrameError.InvalidUtf8 => (WebSocketCloseCodes.InvalidPayloadData, "invalid UTF-8 in text message"),
        FrameError.MessageTooBig => (WebSocketCloseCodes.MessageTooBig, "message too big"),
        FrameError.InvalidCloseFrame => (WebSocketCloseCodes.ProtocolError, "close frame payload of 1 byte"),
        FrameError.InvalidCloseCode => (WebSocketCloseCodes.ProtocolError, "invalid close code"),
        FrameError.InvalidCloseReason => (WebSocketCloseCodes.InvalidPayloadData, "invalid UTF-8 in close reason"),
        FrameError.PayloadLengthHighBitSet => (WebSocketCloseCodes.ProtocolError, "64-bit payload length with the high bit set"),
        FrameError.FrameTooBig => (WebSocketCloseCodes.MessageTooBig, "frame too big"),
        FrameError.TooManyFragments => (WebSocketCloseCodes.MessageTooBig, "too many fragments"),
        _ => (WebSocketCloseCodes.InternalServerError, "unknown frame error"),
    };
}
