namespace FastRealtime.Transport.SocketIO;

/// <summary>Socket.IO v5 packet types; on the wire each is its ASCII digit (socket.io-protocol v5, "Packet format").</summary>
public enum SocketIoPacketType : byte
{
    Connect = 0,
    Disconnect = 1,
    Event = 2,
    Ack = 3,
    ConnectError = 4,
    BinaryEvent = 5,
    BinaryAck = 6,
}

/// <summary>
/// Indexes of the pre-framed encodings a broadcast builds (IRoomMember.ProtocolIndex). Same values as the
/// project-wide wire protocol constants: 0 plain WebSocket JSON, 1 Socket.IO over WebSocket, 2 Socket.IO over long-polling.
/// </summary>
public static class SocketIoProtocolIndex
{
    /// <summary>Engine.IO message in WebSocket frames (a text frame, then one binary frame per attachment).</summary>
    public const int WebSocket = 1;

    /// <summary>Engine.IO message as a long-polling segment, queued for the recipient's next poll.</summary>
    public const int Polling = 2;
}

/// <summary>Why a Socket.IO packet was refused; any of them closes the connection ("parse error"), as socket.io does.</summary>
public enum SocketIoParseError : byte
{
    None,
    Empty,
    UnknownType,
    BadAttachmentCount,
    BadAckId,
    InvalidJson,
    InvalidPayload,
}
