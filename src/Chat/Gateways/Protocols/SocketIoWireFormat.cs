using System.Buffers.Text;
using System.Text;
using FastRealtime.Chat.SocketIO;
using FastRealtime.Core.Buffers;
using FastRealtime.Transport;
using FastRealtime.Transport.EngineIO;
using FastRealtime.Transport.SocketIO;

namespace FastRealtime.Chat.Gateways.Protocols;

/// <summary>
/// Socket.IO v5 (socket.io-protocol v5) in an Engine.IO v4 message: one class per Engine.IO transport, because the
/// same packet is framed differently — WebSocket frames for <see cref="WireProtocols.SocketIoWebSocket"/>, a
/// long-polling segment for <see cref="WireProtocols.SocketIoPolling"/>.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>event: <c>2/ns,["name",DATA]</c> (the namespace is omitted for "/"), the data as the one argument.</item>
/// <item>a handler's return value: <c>3/ns,ID[DATA]</c> (an ACK, BINARY_ACK <c>6N-…</c> with attachments) when the
/// client asked for one; nothing otherwise (socket.io has no unsolicited reply; NestJS's adapter drops it too).</item>
/// <item>an event answering a request with an ack id (a <see cref="WsResponse{T}"/> or <c>exception</c>): sent as a plain
/// event, the ack left unanswered, as NestJS's Socket.IO adapter does (an EVENT with an id would ask the client for an ack).</item>
/// </list>
/// </remarks>
public abstract class SocketIoWireFormat : IGatewayWireFormat
{
    private const int MaxStackNamespaceBytes = 256;

    private protected SocketIoWireFormat() { }

    public abstract int ProtocolIndex { get; }

    public bool SupportsBinaryAttachments => true;

    public SharedBuffer EncodeEvent(string @namespace, string @event, ReadOnlySpan<byte> ackId, ReadOnlySpan<byte> dataJson)
    {
        Span<byte> scratch = stackalloc byte[MaxStackNamespaceBytes];
        var ns = Utf8(@namespace, scratch);
        return new SocketIoBroadcastEncoder(ns, SocketIoPayload.QuotedName(@event), dataJson).Encode(ProtocolIndex);
    }

    public SharedBuffer? EncodeReply(string @namespace, string @event, ReadOnlySpan<byte> ackId, ReadOnlySpan<byte> dataJson,
        ReadOnlySpan<ReadOnlyMemory<byte>> attachments)
    {
        if (ackId.IsEmpty || !Utf8Parser.TryParse(ackId, out long id, out int consumed) || consumed != ackId.Length || id < 0) return null;
        Span<byte> scratch = stackalloc byte[MaxStackNamespaceBytes];
        var ns = Utf8(@namespace, scratch);
        int length = SocketIoPacketWriter.AckLength(ns, id, dataJson, attachments.Length);
        Span<byte> text;
        var buffer = ProtocolIndex == WireProtocols.SocketIoWebSocket
            ? EngineIoMessageBuffers.RentWebSocket(length, attachments, out text)
            : EngineIoMessageBuffers.RentPolling(length, attachments, out text);
        SocketIoPacketWriter.WriteAck(text, ns, id, dataJson, attachments.Length);
        return buffer;
    }

    // Namespace names are short in practice; a long one costs an array, not a failure.
    private static ReadOnlySpan<byte> Utf8(string @namespace, Span<byte> scratch) =>
        Encoding.UTF8.GetMaxByteCount(@namespace.Length) <= scratch.Length
            ? scratch[..Encoding.UTF8.GetBytes(@namespace, scratch)]
            : Encoding.UTF8.GetBytes(@namespace);
}

/// <summary>Socket.IO over an Engine.IO WebSocket (protocol <see cref="WireProtocols.SocketIoWebSocket"/>).</summary>
public sealed class SocketIoWebSocketWireFormat : SocketIoWireFormat
{
    public override int ProtocolIndex => WireProtocols.SocketIoWebSocket;
}

/// <summary>Socket.IO over Engine.IO long-polling (protocol <see cref="WireProtocols.SocketIoPolling"/>).</summary>
public sealed class SocketIoPollingWireFormat : SocketIoWireFormat
{
    public override int ProtocolIndex => WireProtocols.SocketIoPolling;
}
