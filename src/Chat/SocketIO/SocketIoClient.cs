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
/// connects it to namespaces, and routes each packet to the namespace's channel (an application socket or a gateway client).
/// </summary>
/// <remarks>
/// Thread safety: <see cref="OnMessage"/> runs one at a time (Engine.IO's guarantee). The channel list is copy-on-write:
/// read without a lock on every packet, written under <c>_sync</c> on connect and disconnect.
/// </remarks>
internal sealed class SocketIoClient(SocketIoServer server, EngineIoSession session, HttpRequestHead handshake)
{
    private readonly Lock _sync = new();
    private ISocketIoChannel[] _channels = [];
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

    private void Dispatch(in SocketIoPacket packet, ReadOnlyMemory<byte>[] attachments)
    {
        var channel = Find(packet.Namespace);
        switch (packet.Type)
        {
            case SocketIoPacketType.Connect when channel is null:
                Connect(packet);
                return;
            case SocketIoPacketType.Event or SocketIoPacketType.BinaryEvent when channel is not null:
                channel.OnEvent(new SocketIoEvent(packet.Data, packet.AckId, attachments));
                return;
            case SocketIoPacketType.Ack or SocketIoPacketType.BinaryAck when channel is not null && packet.HasAckId:
                channel.OnAck(packet.AckId, packet.Data, attachments);
                return;
            case SocketIoPacketType.Disconnect when channel is not null:
                Remove(channel);
                channel.OnClosed("client namespace disconnect");
                return;
            default:
                // socket.io: a packet for a namespace it is not in (or a second CONNECT) is an invalid state; close.
                Session.Close("forced close");
                return;
        }
    }

    private ISocketIoChannel? Find(ReadOnlySpan<byte> @namespace)
    {
        foreach (var channel in Volatile.Read(ref _channels))
            if (@namespace.SequenceEqual(channel.NamespaceUtf8)) return channel;
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
        ns.Connect(this, auth);
    }

    /// <summary>
    /// Routes the namespace's packets to <paramref name="channel"/> from now on. False when the session has ended or the
    /// namespace already has a channel on it (the caller then drops its channel).
    /// </summary>
    internal bool TryAdd(ISocketIoChannel channel)
    {
        lock (_sync)
        {
            if (_closed || Find(channel.NamespaceUtf8) is not null) return false;
            _channels = [.. _channels, channel];
            return true;
        }
    }

    /// <summary>The CONNECT answer: socket.io-protocol v5 carries the socket id.</summary>
    internal void SendConnected(ReadOnlySpan<byte> @namespace, string socketId)
    {
        Span<byte> sid = stackalloc byte[64];
        int length = Encoding.UTF8.GetBytes($"{{\"sid\":\"{socketId}\"}}", sid);
        SendPacket(SocketIoPacketType.Connect, @namespace, sid[..length]);
    }

    internal void SendConnectError(ReadOnlySpan<byte> @namespace, string message, object? data)
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

    internal void Remove(ISocketIoChannel channel)
    {
        lock (_sync) _channels = Array.FindAll(_channels, c => !ReferenceEquals(c, channel));
    }

    /// <summary>The Engine.IO session ended: every channel leaves its namespace with the session's reason.</summary>
    public void OnSessionClosed(string reason)
    {
        ISocketIoChannel[] channels;
        lock (_sync)
        {
            _closed = true;
            channels = _channels;
            _channels = [];
        }
        _pendingBinary = null;
        foreach (var channel in channels) channel.OnClosed(reason);
    }

    /// <summary>A BINARY_EVENT / BINARY_ACK header waiting for its attachments (socket.io-parser's reconstructor).</summary>
    private sealed class PendingBinaryPacket(byte[] header, int expected)
    {
        private readonly ReadOnlyMemory<byte>[] _attachments = new ReadOnlyMemory<byte>[expected];
        private int _count;
        private long _bytes;

        public byte[] Header => header;

        /// <summary>Owned copies: a gateway client may queue them behind its pending work.</summary>
        public ReadOnlyMemory<byte>[] Attachments => _attachments;

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
