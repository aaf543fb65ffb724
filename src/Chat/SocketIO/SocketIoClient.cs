using System.Text;
using System.Text.Json;
using FastRealtime.Core.Buffers;
using FastRealtime.Core.Connections;
using FastRealtime.Transport.EngineIO;
using FastRealtime.Transport.Http;
using FastRealtime.Transport.SocketIO;

namespace FastRealtime.Chat.SocketIO;

/// <summary>
/// The Socket.IO side of one Engine.IO session: decodes its packets (reassembling binary ones from their attachments),
/// connects it to namespaces, and routes each packet to the namespace's socket.
/// </summary>
/// <remarks>
/// Thread safety: <see cref="OnMessage"/> runs one at a time (Engine.IO's guarantee). The socket list is copy-on-write:
/// read without a lock on every packet, written under <c>_sync</c> on connect and disconnect.
/// </remarks>
internal sealed class SocketIoClient(SocketIoServer server, EngineIoSession session, HttpRequestHead handshake)
{
    private readonly Lock _sync = new();
    private SocketIoSocket[] _sockets = [];
    private PendingBinaryPacket? _pendingBinary;
    private bool _closed;

    public EngineIoSession Session { get; } = session;

    public HttpRequestHead Handshake { get; } = handshake;

    public void OnMessage(ReadOnlySpan<byte> data, bool isBinary)
    {
        if (isBinary)
        {
            // An attachment is only valid while a BINARY_EVENT / BINARY_ACK waits for it.
            if (_pendingBinary is not { } pending || !pending.Add(data, server.Options.MaxAttachmentBytes))
            {
                Session.Close("parse error");
                return;
            }
            if (!pending.IsComplete) return;
            _pendingBinary = null;
            var error = SocketIoPacketParser.Parse(pending.Header, out var binaryPacket);
            if (error == SocketIoParseError.None) Dispatch(binaryPacket, pending.Attachments);
            return;
        }
        if (_pendingBinary is not null || SocketIoPacketParser.Parse(data, out var packet) != SocketIoParseError.None)
        {
            Session.Close("parse error"); // socket.io closes the connection on a packet it cannot decode
            return;
        }
        if (packet.AttachmentCount > 0)
        {
            if (packet.AttachmentCount > server.Options.MaxAttachments)
            {
                Session.Close("parse error");
                return;
            }
            _pendingBinary = new PendingBinaryPacket(data.ToArray(), packet.AttachmentCount);
            return;
        }
        Dispatch(packet, []);
    }

    private void Dispatch(in SocketIoPacket packet, ReadOnlySpan<ReadOnlyMemory<byte>> attachments)
    {
        var socket = Find(packet.Namespace);
        switch (packet.Type)
        {
            case SocketIoPacketType.Connect when socket is null:
                Connect(packet);
                return;
            case SocketIoPacketType.Event or SocketIoPacketType.BinaryEvent when socket is not null:
                socket.OnEvent(new SocketIoEvent(packet.Data, packet.AckId, attachments));
                return;
            case SocketIoPacketType.Ack or SocketIoPacketType.BinaryAck when socket is not null && packet.HasAckId:
                socket.OnAck(packet.AckId, packet.Data, attachments);
                return;
            case SocketIoPacketType.Disconnect when socket is not null:
                Remove(socket);
                socket.OnClosed("client namespace disconnect");
                return;
            default:
                // socket.io: a packet for a namespace it is not in (or a second CONNECT) is an invalid state; close.
                Session.Close("forced close");
                return;
        }
    }

    private SocketIoSocket? Find(ReadOnlySpan<byte> @namespace)
    {
        foreach (var socket in Volatile.Read(ref _sockets))
            if (@namespace.SequenceEqual(socket.Namespace.NameUtf8)) return socket;
        return null;
    }

    private void Connect(in SocketIoPacket packet)
    {
        if (server.FindNamespace(packet.Namespace) is not { } ns)
        {
            SendConnectError(packet.Namespace, "Invalid namespace", null);
            return;
        }
        JsonElement? auth = packet.Data.IsEmpty ? null : JsonDocument.Parse(packet.Data.ToArray()).RootElement;
        var socket = new SocketIoSocket(this, ns, EngineIoSessionId.Create());
        ValueTask accepted;
        try
        {
            accepted = ns.Handler.OnConnect(socket, auth);
        }
        catch (Exception ex)
        {
            Refuse(socket, ex);
            return;
        }
        if (accepted.IsCompletedSuccessfully) Accept(socket);
        else _ = AcceptLaterAsync(socket, accepted);
    }

    private async Task AcceptLaterAsync(SocketIoSocket socket, ValueTask accepted)
    {
        try
        {
            await accepted.ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            Refuse(socket, ex);
            return;
        }
        Accept(socket);
    }

    private void Accept(SocketIoSocket socket)
    {
        lock (_sync)
        {
            if (_closed || Find(socket.Namespace.NameUtf8) is not null) return;
            _sockets = [.. _sockets, socket];
        }
        socket.Namespace.Add(socket);
        // socket.io-protocol v5: the CONNECT answer carries the socket id.
        Span<byte> sid = stackalloc byte[64];
        int length = Encoding.UTF8.GetBytes($"{{\"sid\":\"{socket.Id}\"}}", sid);
        SendPacket(SocketIoPacketType.Connect, socket.Namespace.NameUtf8, sid[..length]);
    }

    private void Refuse(SocketIoSocket socket, Exception ex)
    {
        object? data = (ex as SocketIoConnectException)?.ErrorData;
        SendConnectError(socket.Namespace.NameUtf8, ex.Message, data);
    }

    private void SendConnectError(ReadOnlySpan<byte> @namespace, string message, object? data)
    {
        byte[] body = data is null
            ? JsonSerializer.SerializeToUtf8Bytes(new { message })
            : JsonSerializer.SerializeToUtf8Bytes(new { message, data }, server.Options.Json);
        SendPacket(SocketIoPacketType.ConnectError, @namespace, body);
    }

    /// <summary>Sends one packet without attachments, in the form of the session's current transport.</summary>
    internal SendResult SendPacket(SocketIoPacketType type, ReadOnlySpan<byte> @namespace, ReadOnlySpan<byte> data, long ackId = -1)
    {
        int length = SocketIoPacketWriter.PacketLength(@namespace, ackId, 0, data.Length);
        var buffer = Rent(length, [], out var text);
        SocketIoPacketWriter.WritePacket(text, type, @namespace, ackId, 0, data);
        return SendAndRelease(buffer);
    }

    internal SharedBuffer Rent(int textLength, ReadOnlySpan<ReadOnlyMemory<byte>> attachments, out Span<byte> text) =>
        Session.Transport == EngineIoTransport.WebSocket
            ? EngineIoMessageBuffers.RentWebSocket(textLength, attachments, out text)
            : EngineIoMessageBuffers.RentPolling(textLength, attachments, out text);

    internal SendResult SendAndRelease(SharedBuffer buffer, bool isVolatile = false)
    {
        var result = Session.SendEncoded(buffer, isVolatile);
        buffer.Release();
        return result;
    }

    internal void Remove(SocketIoSocket socket)
    {
        lock (_sync) _sockets = Array.FindAll(_sockets, s => !ReferenceEquals(s, socket));
    }

    /// <summary>The Engine.IO session ended: every socket leaves its namespace with the session's reason.</summary>
    public void OnSessionClosed(string reason)
    {
        SocketIoSocket[] sockets;
        lock (_sync)
        {
            _closed = true;
            sockets = _sockets;
            _sockets = [];
        }
        _pendingBinary = null;
        foreach (var socket in sockets) socket.OnClosed(reason);
    }

    /// <summary>A BINARY_EVENT / BINARY_ACK header waiting for its attachments (socket.io-parser's reconstructor).</summary>
    private sealed class PendingBinaryPacket(byte[] header, int expected)
    {
        private readonly ReadOnlyMemory<byte>[] _attachments = new ReadOnlyMemory<byte>[expected];
        private int _count;
        private long _bytes;

        public byte[] Header => header;

        public ReadOnlySpan<ReadOnlyMemory<byte>> Attachments => _attachments;

        public bool IsComplete => _count == expected;

        public bool Add(ReadOnlySpan<byte> attachment, long maxBytes)
        {
            _bytes += attachment.Length;
            if (_bytes > maxBytes) return false;
            _attachments[_count++] = attachment.ToArray();
            return true;
        }
    }
}
