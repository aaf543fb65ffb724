namespace FastRealtime.Transport.WebSockets;

/// <summary>
/// Why the frame reader rejected its input. Each value maps to exactly one close code and one stable message
/// in <see cref="FrameErrors"/>; the reader returns these as values, never throws them.
/// </summary>
public enum FrameError : byte
{
    None,
    /// <summary>RSV1-3 set without a negotiated extension that defines them (§5.2).</summary>
    ReservedBitsSet,
    /// <summary>Opcode 0x3-0x7 or 0xB-0xF (§5.2).</summary>
    ReservedOpcode,
    /// <summary>A control frame with a payload over 125 bytes (§5.5).</summary>
    ControlFrameTooLong,
    /// <summary>A control frame without FIN (§5.5).</summary>
    ControlFrameFragmented,
    /// <summary>A server received an unmasked frame (§5.1).</summary>
    MaskRequired,
    /// <summary>A client received a masked frame (§5.1).</summary>
    MaskNotAllowed,
    /// <summary>A continuation frame with no message in progress (§5.4).</summary>
    UnexpectedContinuation,
    /// <summary>A new text or binary frame while a fragmented message is in progress (§5.4).</summary>
    ContinuationExpected,
    /// <summary>A text message that is not valid UTF-8 (§8.1).</summary>
    InvalidUtf8,
    /// <summary>The fragments of a message add up to more than the configured maximum message size.</summary>
    MessageTooBig,
    /// <summary>A close frame with a one-byte payload (§5.5.1: a body starts with a two-byte code).</summary>
    InvalidCloseFrame,
    /// <summary>A close frame whose status code may not be sent (§7.4).</summary>
    InvalidCloseCode,
    /// <summary>A close frame whose reason is not valid UTF-8 (§5.5.1).</summary>
    InvalidCloseReason,
    /// <summary>A 64-bit payload length with the most significant bit set (§5.2).</summary>
    PayloadLengthHighBitSet,
    /// <summary>A single frame longer than the configured maximum frame size.</summary>
    FrameTooBig,
    /// <summary>A message split into more fragments than the configured maximum.</summary>
    TooManyFragments,
}
