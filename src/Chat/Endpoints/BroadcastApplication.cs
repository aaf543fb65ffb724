using System.Buffers;
using FastRealtime.Core.Buffers;
using FastRealtime.Core.Connections;
using FastRealtime.Core.Rooms;
using FastRealtime.Transport;
using FastRealtime.Transport.Http;
using FastRealtime.Transport.Server;
using FastRealtime.Transport.WebSockets;

namespace FastRealtime.Chat.Endpoints;

/// <summary>
/// <c>/broadcast?room=NAME</c>, the benchmark convention shared with the peers in bench/compare: every message a
/// client sends goes to every connection of its room, sender included, with the same opcode and bytes.
/// </summary>
/// <remarks>
/// The frame is built once per message and shared by every recipient through the <see cref="RoomRegistry"/>
/// (protocol <see cref="WireProtocols.RawWebSocket"/>); the per-recipient work is one lock-free enqueue, and one for
/// all the messages of one read to the same room (<see cref="RoomRegistry.Publish{TEncoder}"/>).
/// A missing or empty room name means "default", as in the peers.
/// </remarks>
public sealed class BroadcastApplication : IWebSocketApplication
{
    public const string DefaultRoom = "default";

    // Every member speaks plain WebSocket, so the messages of one read to one room can go out merged (Publish).
    public RoomRegistry Rooms { get; } = new(new RoomRegistryOptions { MaxRoomsPerMember = 1, PublishProtocol = WireProtocols.RawWebSocket });

    public void OnOpen(WebSocketSession session, HttpRequestHead request)
    {
        string? room = request.GetQueryValue("room");
        var member = new Member(session, string.IsNullOrEmpty(room) ? DefaultRoom : room);
        session.State = member;
        Rooms.Join(member, member.Room);
    }

    public void OnMessage(WebSocketSession session, WebSocketMessageKind kind, in ReadOnlySequence<byte> payload)
    {
        var member = (Member)session.State!;
        Rooms.Publish(member.Room, new RawFrameEncoder(kind, payload));
    }

    public void OnClose(WebSocketSession session, ushort code)
    {
        if (session.State is Member member) Rooms.RemoveMember(member);
    }

    private sealed class Member(WebSocketSession session, string room) : IRoomMember
    {
        public string Room { get; } = room;
        public long MemberId => session.Id;
        public int ProtocolIndex => WireProtocols.RawWebSocket;
        public RoomMembership Rooms { get; } = new();
        public SendResult Send(SharedBuffer frame, bool isVolatile) => session.SendFramed(frame, isVolatile);
    }

    // The received message as one unmasked frame of the same kind, built only if someone is reached.
    private readonly ref struct RawFrameEncoder(WebSocketMessageKind kind, ReadOnlySequence<byte> payload) : IBroadcastEncoder
    {
        private readonly ReadOnlySequence<byte> _payload = payload;

        public SharedBuffer Encode(int protocolIndex)
        {
            var opcode = kind == WebSocketMessageKind.Text ? WebSocketOpcode.Text : WebSocketOpcode.Binary;
            int length = checked((int)_payload.Length);
            var frame = SharedBuffer.Rent(WebSocketFrameWriter.GetFrameSize(length, masked: false));
            int header = WebSocketFrameWriter.WriteHeader(frame.Span, opcode, length);
            _payload.CopyTo(frame.Span[header..]);
            return frame;
        }
    }
}
