namespace FastRealtime.Transport.WebSockets;

/// <summary>The kind of a complete data message, fixed by the opcode of its first frame (RFC 6455 §5.6).</summary>
public enum WebSocketMessageKind : byte
{
    Text,
    Binary,
}
