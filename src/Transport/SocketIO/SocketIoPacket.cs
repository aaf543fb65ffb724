namespace FastRealtime.Transport.SocketIO;

/// <summary>
/// One decoded Socket.IO packet: <c>&lt;type&gt;[&lt;attachments&gt;-][&lt;namespace&gt;,][&lt;ack id&gt;][&lt;JSON data&gt;]</c>
/// (socket.io-protocol v5). Views into the received bytes: valid only while they are.
/// </summary>
public readonly ref struct SocketIoPacket
{
    public SocketIoPacket(SocketIoPacketType type, ReadOnlySpan<byte> @namespace, long ackId, int attachmentCount, ReadOnlySpan<byte> data)
    {
        Type = type;
        Namespace = @namespace;
        AckId = ackId;
        AttachmentCount = attachmentCount;
        Data = data;
    }

    public SocketIoPacketType Type { get; }

    /// <summary>UTF-8 namespace, "/" when the packet names none.</summary>
    public ReadOnlySpan<byte> Namespace { get; }

    /// <summary>The ack id, or -1 when none was given.</summary>
    public long AckId { get; }

    public bool HasAckId => AckId >= 0;

    /// <summary>Binary attachments that follow (BINARY_EVENT / BINARY_ACK); 0 otherwise.</summary>
    public int AttachmentCount { get; }

    /// <summary>The raw JSON payload (empty when absent): an object for CONNECT, an array for EVENT and ACK.</summary>
    public ReadOnlySpan<byte> Data { get; }

    /// <summary>For EVENT / BINARY_EVENT: the event name (first array element) and the arguments after it.</summary>
    public SocketIoArguments Arguments => new(Data);
}
