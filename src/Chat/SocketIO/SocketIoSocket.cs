using FastRealtime.Core.Buffers;
using FastRealtime.Core.Connections;
using FastRealtime.Core.Rooms;
using FastRealtime.Transport;
using FastRealtime.Transport.EngineIO;
using FastRealtime.Transport.Http;
using FastRealtime.Transport.SocketIO;

namespace FastRealtime.Chat.SocketIO;

/// <summary>
/// One client's membership of one namespace (socket.io's server-side Socket): emit to it, ack it, put it in rooms,
/// disconnect it. Several sockets (namespaces) share one Engine.IO session.
/// </summary>
/// <remarks>
/// Thread safety: every public method may be called from any thread. As an <see cref="IRoomMember"/> its
/// <see cref="ProtocolIndex"/> follows the session's transport (2 while polling, 1 after the upgrade); a broadcast
/// frame of the other form, caught by the switch, is converted by the session rather than lost.
/// </remarks>
public sealed partial class SocketIoSocket : IRoomMember, ISocketIoChannel
{
    private static long s_nextMemberId;
    private readonly SocketIoClient _client;
    private int _disconnected;

    internal SocketIoSocket(SocketIoClient client, SocketIoNamespace ns, string id)
    {
        _client = client;
        Namespace = ns;
        Id = id;
        MemberId = Interlocked.Increment(ref s_nextMemberId);
    }

    /// <summary>The socket id (unguessable, per namespace connection); also the name of the room only this socket is in.</summary>
    public string Id { get; }

    public SocketIoNamespace Namespace { get; }

    /// <summary>The Engine.IO session underneath (shared with the client's other namespaces).</summary>
    public EngineIoSession Connection => _client.Session;

    /// <summary>The request that opened the session: headers (Authorization), query (token), ...</summary>
    public HttpRequestHead Handshake => _client.Handshake;

    /// <summary>Application data for the socket's lifetime (the seed's <c>client.data.user</c>).</summary>
    public object? Data { get; set; }

    public bool Connected => Volatile.Read(ref _disconnected) == 0;

    public long MemberId { get; }

    public int ProtocolIndex => Connection.Transport == EngineIoTransport.WebSocket ? WireProtocols.SocketIoWebSocket : WireProtocols.SocketIoPolling;

    public RoomMembership Rooms { get; } = new();

    SendResult IRoomMember.Send(SharedBuffer frame, bool isVolatile) => Connection.SendEncoded(frame, isVolatile);

    public RoomJoinResult Join(string room) => Namespace.Rooms.Join(this, room);

    public bool Leave(string room) => Namespace.Rooms.Leave(this, room);

    /// <summary>Sends an event to this socket; arguments as described on <see cref="SocketIoPayload"/>.</summary>
    public SendResult Emit(string eventName, params object?[] args)
    {
        var payload = SocketIoPayload.Create(args, Namespace.Server.Options.Json);
        return EmitRaw(SocketIoPayload.QuotedName(eventName), payload.Arguments.Span, payload.Attachments);
    }

    /// <summary>Sends an event from pre-encoded parts (the allocation-free path): a quoted name and comma-separated raw JSON arguments.</summary>
    public SendResult EmitRaw(ReadOnlySpan<byte> quotedName, ReadOnlySpan<byte> arguments, ReadOnlySpan<ReadOnlyMemory<byte>> attachments = default,
        bool isVolatile = false) => SendEvent(quotedName, arguments, attachments, -1, isVolatile);

    private SendResult SendEvent(ReadOnlySpan<byte> quotedName, ReadOnlySpan<byte> arguments, ReadOnlySpan<ReadOnlyMemory<byte>> attachments,
        long ackId, bool isVolatile)
    {
        if (!Connected) return SendResult.Closed;
        var ns = Namespace.NameUtf8;
        int length = SocketIoPacketWriter.EventLength(ns, quotedName, arguments, ackId, attachments.Length);
        var buffer = _client.Rent(length, attachments, out var text);
        SocketIoPacketWriter.WriteEvent(text, ns, quotedName, arguments, ackId, attachments.Length);
        return _client.SendAndRelease(buffer, isVolatile);
    }

    /// <summary>Answers the client's ack <paramref name="ackId"/> (from <see cref="SocketIoEvent.AckId"/>).</summary>
    public SendResult Ack(long ackId, params object?[] args)
    {
        var payload = SocketIoPayload.Create(args, Namespace.Server.Options.Json);
        return AckRaw(ackId, payload.Arguments.Span, payload.Attachments);
    }

    /// <summary>Answers an ack with comma-separated raw JSON arguments (e.g. <see cref="SocketIoArguments.Joined"/> to echo them).</summary>
    public SendResult AckRaw(long ackId, ReadOnlySpan<byte> arguments, ReadOnlySpan<ReadOnlyMemory<byte>> attachments = default)
    {
        if (!Connected || ackId < 0) return SendResult.Closed;
        var ns = Namespace.NameUtf8;
        int length = SocketIoPacketWriter.AckLength(ns, ackId, arguments, attachments.Length);
        var buffer = _client.Rent(length, attachments, out var text);
        SocketIoPacketWriter.WriteAck(text, ns, ackId, arguments, attachments.Length);
        return _client.SendAndRelease(buffer);
    }

    /// <summary>
    /// Removes the socket from the namespace (the client gets DISCONNECT: reason "io server disconnect", no reconnection).
    /// With <paramref name="closeConnection"/> the whole Engine.IO session is closed too.
    /// </summary>
    public void Disconnect(bool closeConnection = false)
    {
        if (Connected) _client.SendPacket(SocketIoPacketType.Disconnect, Namespace.NameUtf8, []);
        _client.Remove(this);
        OnClosed("server namespace disconnect");
        if (closeConnection) Connection.Close("forced close");
    }

    ReadOnlySpan<byte> ISocketIoChannel.NamespaceUtf8 => Namespace.NameUtf8;

    void ISocketIoChannel.OnEvent(in SocketIoEvent message) => OnEvent(message);

    void ISocketIoChannel.OnAck(long ackId, ReadOnlySpan<byte> data, ReadOnlySpan<ReadOnlyMemory<byte>> attachments) => OnAck(ackId, data, attachments);

    void ISocketIoChannel.OnClosed(string reason) => OnClosed(reason);

    internal void OnEvent(in SocketIoEvent message)
    {
        if (Connected) Namespace.Handler.OnEvent(this, message);
    }

    /// <summary>Leaves the namespace once: rooms left, pending acks failed, the application told.</summary>
    internal void OnClosed(string reason)
    {
        if (Interlocked.Exchange(ref _disconnected, 1) != 0) return;
        Namespace.Remove(this);
        FailPendingAcks(reason);
        Namespace.Handler.OnDisconnect(this, reason);
    }

    public override string ToString() => $"{Namespace.Name}#{Id}";
}
