using System.Buffers.Text;
using System.Text.Json;
using FastRealtime.Chat.SocketIO;
using FastRealtime.Core.Buffers;
using FastRealtime.Core.Connections;
using FastRealtime.Transport;
using FastRealtime.Transport.EngineIO;
using FastRealtime.Transport.Json;
using FastRealtime.Transport.SocketIO;

namespace FastRealtime.Chat.Gateways.Protocols;

/// <summary>
/// A gateway client's membership of one namespace over Socket.IO. Three roles in one object: the channel the session's
/// packet router delivers to, the <see cref="IGatewayTransport"/> the gateway sends through (the Engine.IO session,
/// shared with the client's other namespaces), and the <see cref="IGatewayInbound"/> that turns an EVENT into dispatch.
/// </summary>
/// <remarks>
/// States: connecting (guards running; sends are dropped, a refusal answers CONNECT_ERROR), open (CONNECT <c>{sid}</c>
/// sent), closed. The transitions that write a packet hold <c>_stateLock</c>, so CONNECT precedes every event and
/// nothing follows DISCONNECT; <see cref="Send"/> only reads the state. The gateway hears of the end exactly once.
/// </remarks>
internal sealed class SocketIoGatewaySocket : ISocketIoChannel, IGatewayTransport, IGatewayInbound
{
    private const int Connecting = 0, Open = 1, Closed = 2;

    // Below zero: the namespace's room registry also holds plain-WebSocket clients, whose ids are connection ids (> 0).
    private static long s_lastMemberId;

    private readonly SocketIoClient _connection;
    private readonly GatewayNamespace _namespace;
    private readonly byte[] _namespaceUtf8;
    private readonly Lock _stateLock = new();
    private int _state;
    private GatewayClient _client = null!;

    private SocketIoGatewaySocket(SocketIoClient connection, GatewayNamespace @namespace, byte[] namespaceUtf8)
    {
        _connection = connection;
        _namespace = @namespace;
        _namespaceUtf8 = namespaceUtf8;
    }

    /// <summary>The CONNECT packet: a new client runs the namespace's connection guards (reading the auth payload) in order.</summary>
    public static void Connect(SocketIoClient connection, GatewayNamespace @namespace, byte[] namespaceUtf8, JsonElement? auth)
    {
        var socket = new SocketIoGatewaySocket(connection, @namespace, namespaceUtf8);
        var client = @namespace.CreateClient(socket, Interlocked.Decrement(ref s_lastMemberId), EngineIoSessionId.Create());
        socket._client = client;
        client.AttachInbound(socket);
        if (!connection.TryAdd(socket)) return; // the session ended meanwhile: nothing was registered
        client.RunInOrder(@namespace.Connect(client, connection.Handshake, auth));
    }

    public ReadOnlySpan<byte> NamespaceUtf8 => _namespaceUtf8;

    public int ProtocolIndex =>
        _connection.Session.Transport == EngineIoTransport.WebSocket ? WireProtocols.SocketIoWebSocket : WireProtocols.SocketIoPolling;

    public SendResult Send(SharedBuffer frame, bool isVolatile) =>
        Volatile.Read(ref _state) == Open ? _connection.Session.SendEncoded(frame, isVolatile) : SendResult.Closed;

    public void Admitted()
    {
        lock (_stateLock)
        {
            if (_state != Connecting) return;
            _connection.SendConnected(_namespaceUtf8, _client.Id);
            Volatile.Write(ref _state, Open);
        }
    }

    /// <summary>
    /// The server ends the client's membership: before admission CONNECT_ERROR <c>{message}</c> (a refused connection), after
    /// it DISCONNECT (the client sees "io server disconnect" and does not reconnect). The session and its other namespaces stay.
    /// </summary>
    public void Close(string reason, bool policyViolation)
    {
        lock (_stateLock)
        {
            if (_state == Closed) return;
            if (_state == Connecting) _connection.SendConnectError(_namespaceUtf8, reason, null);
            else _connection.SendPacket(SocketIoPacketType.Disconnect, _namespaceUtf8, []);
            Volatile.Write(ref _state, Closed);
        }
        _connection.Remove(this);
        _namespace.OnTransportClosed(_client);
    }

    public void OnClosed(string reason)
    {
        lock (_stateLock)
        {
            if (_state == Closed) return;
            Volatile.Write(ref _state, Closed);
        }
        _namespace.OnTransportClosed(_client);
    }

    public void OnEvent(in SocketIoEvent message) =>
        _client.Deliver(message.Data, isBinary: false, new InboundExtras(message.AckId, message.AttachmentArray));

    // Gateway clients ask nothing of their clients yet: an ACK can only be late or forged.
    public void OnAck(long ackId, ReadOnlySpan<byte> data, ReadOnlySpan<ReadOnlyMemory<byte>> attachments) { }

    /// <summary>
    /// <paramref name="message"/> is the EVENT's array, <c>["name", arg, ...]</c>, already validated by the packet parser;
    /// the header's ack id is its ack. The handler's payload is NestJS's (IoAdapter.mapPayload): the one argument, or,
    /// when the client sent several (<c>emit('broadcast', room, payload)</c>), all of them as one JSON array.
    /// </summary>
    ValueTask IGatewayInbound.ProcessMessage(GatewayClient client, ReadOnlySpan<byte> message, bool isBinary, InboundExtras extras)
    {
        if (!client.IsConnected) return default; // queued behind a connection that was refused or ended
        var reader = new Utf8JsonReader(message);
        reader.Read(); // [
        reader.Read(); // "name"
        Span<byte> nameScratch = stackalloc byte[JsonEnvelopeReader.MaxEventNameBytes];
        scoped ReadOnlySpan<byte> name;
        if (!reader.ValueIsEscaped) name = reader.ValueSpan;
        else if (reader.ValueSpan.Length <= nameScratch.Length) name = nameScratch[..reader.CopyString(nameScratch)];
        else name = reader.ValueSpan; // too long to be a handler's name: it finds none and answers so

        ReadOnlySpan<byte> data = default;
        int argumentsStart = 0, argumentCount = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            int start = (int)reader.TokenStartIndex;
            if (argumentCount++ == 0) argumentsStart = start;
            if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray) reader.Skip();
            data = message[argumentsStart..(int)reader.BytesConsumed];
        }
        byte[]? rented = null;
        if (argumentCount > 1)
        {
            // Several arguments: "[" + `a,b,...` + "]", contiguous in the EVENT array once bracketed.
            rented = System.Buffers.ArrayPool<byte>.Shared.Rent(data.Length + 2);
            rented[0] = (byte)'[';
            data.CopyTo(rented.AsSpan(1));
            rented[data.Length + 1] = (byte)']';
            data = rented.AsSpan(0, data.Length + 2);
        }

        Span<byte> ackScratch = stackalloc byte[20];
        scoped ReadOnlySpan<byte> ackId = default;
        if (extras.AckId >= 0 && Utf8Formatter.TryFormat(extras.AckId, ackScratch, out int written)) ackId = ackScratch[..written];

        client.RequestAttachments = extras.Attachments is { Length: > 0 } attachments ? attachments : null;
        try
        {
            return _namespace.Dispatcher.Dispatch(client, name, data, ackId); // reads the payload before it returns
        }
        finally
        {
            if (rented is not null) System.Buffers.ArrayPool<byte>.Shared.Return(rented);
        }
    }

    public override string ToString() => $"Socket.IO {_client}";
}
