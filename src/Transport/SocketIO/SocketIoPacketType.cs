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
