using System.Buffers;
using System.Text;
using FastRealtime.Core.Buffers;
using FastRealtime.Core.Connections;
using FastRealtime.Core.Rooms;
using FastRealtime.Tests.Infrastructure;
using FastRealtime.Transport.Http;
using FastRealtime.Transport.Server;
using FastRealtime.Transport.WebSockets;
using Xunit;

namespace FastRealtime.Tests.Rooms;

/// <summary>
/// <see cref="RoomRegistry.Publish{TEncoder}"/> through real sockets: the publishes of one read to one room are merged
/// into one queue entry per member, and nothing a client receives changes — every message, once, in the order the
/// server produced it, around direct sends, plain broadcasts and membership changes made in the same read.
/// </summary>
public sealed class PublishMergeTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task Publishes_of_one_read_reach_each_member_as_one_entry_every_message_once_in_order()
    {
        await using var run = await Run.StartAsync("r", "r");
        var (server, app, publisher, member) = (run.Server, run.App, run.Clients[0], run.Clients[1]);
        long sentBefore = server.Server.Metrics.MessagesSent;
        int entriesBefore = app.QueueEntries;

        await publisher.SendRawAsync(Frames(Enumerable.Range(1, 16).Select(i => $"pub:{i}")));

        string[] expected = Enumerable.Range(1, 16).Select(i => i.ToString()).ToArray();
        Assert.Equal(expected, await ReceiveTextsAsync(member, 16));
        Assert.Equal(expected, await ReceiveTextsAsync(publisher, 16));
        // One read, one room: each member queued the 16 messages as one entry (the merge really happened) ...
        Assert.Equal(2, app.QueueEntries - entriesBefore);
        // ... and the sent-messages metric still counts messages, not entries.
        await Eventually.AssertAsync(() => server.Server.Metrics.MessagesSent - sentBefore == 32, Timeout,
            () => $"messages sent: {server.Server.Metrics.MessagesSent - sentBefore}, expected 32");
    }

    [Fact]
    public async Task Direct_sends_and_plain_broadcasts_in_the_same_read_keep_their_place()
    {
        await using var run = await Run.StartAsync("r", "r");
        var (publisher, member) = (run.Clients[0], run.Clients[1]);
        string big = new('b', PublishBatch.MaxBytes); // larger than a merge: goes out on its own, still in place

        await publisher.SendRawAsync(Frames(["pub:1", "pub:2", "direct:3", "pub:4", "bcast:5", "pub:6", "pub:" + big, "pub:7"]));

        Assert.Equal(["1", "2", "3", "4", "5", "6", big, "7"], await ReceiveTextsAsync(publisher, 8));
        Assert.Equal(["1", "2", "4", "5", "6", big, "7"], await ReceiveTextsAsync(member, 7));
    }

    [Fact]
    public async Task A_membership_change_in_the_same_read_sees_the_publishes_before_it_delivered()
    {
        await using var run = await Run.StartAsync("a", "a", "b");
        var (mover, inA, inB) = (run.Clients[0], run.Clients[1], run.Clients[2]);

        // Published to a while the mover is in it, then the mover moves to b, then publishes there.
        await mover.SendRawAsync(Frames(["pub:1", "move:b", "pub:2", "direct:done"]));

        Assert.Equal(["1", "2", "done"], await ReceiveTextsAsync(mover, 3));
        Assert.Equal(["1"], await ReceiveTextsAsync(inA, 1));
        Assert.Equal(["2"], await ReceiveTextsAsync(inB, 1));
        // Nothing more reached the members of a: "2" went only to b.
        await mover.SendTextAsync("direct:again");
        Assert.Equal(["again"], await ReceiveTextsAsync(mover, 1));
        await Assert.ThrowsAnyAsync<Exception>(() => inA.ReceiveAsync(TimeSpan.FromMilliseconds(300)));
    }

    [Fact]
    public void Outside_a_read_a_publish_is_an_immediate_broadcast()
    {
        var registry = new RoomRegistry(new RoomRegistryOptions { PublishProtocol = 0 });
        var member = new FakeMember(1);
        registry.Join(member, "r");

        registry.Publish("r", new TextEncoder("now"));

        Assert.Equal(1, member.FrameCount);
        Assert.Equal("now", Encoding.UTF8.GetString(member.Frames()[0].Span));
        member.ReleaseFrames();
    }

    [Fact]
    public void A_registry_that_merges_for_one_protocol_refuses_members_of_another()
    {
        var registry = new RoomRegistry(new RoomRegistryOptions { PublishProtocol = 0 });
        Assert.Throws<ArgumentException>(() => registry.Join(new FakeMember(1, protocolIndex: 1), "r"));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RoomRegistry(new RoomRegistryOptions { PublishProtocol = BroadcastMessage.MaxProtocols }));
    }

    /// <summary>A server with the test application and one connected client per room name given.</summary>
    private sealed class Run(TestServer server, PublishApplication app, RawWebSocketClient[] clients) : IAsyncDisposable
    {
        public TestServer Server => server;
        public PublishApplication App => app;
        public RawWebSocketClient[] Clients => clients;

        public static async Task<Run> StartAsync(params string[] rooms)
        {
            var app = new PublishApplication();
            var server = TestServer.Start(mapEndpoints: router => router.MapWebSocket("/pub", app));
            var clients = new RawWebSocketClient[rooms.Length];
            for (int i = 0; i < rooms.Length; i++)
                clients[i] = await RawWebSocketClient.ConnectAsync(server.EndPoint, "/pub?room=" + rooms[i]);
            await app.WaitForMembersAsync(rooms.Length);
            return new Run(server, app, clients);
        }

        public async ValueTask DisposeAsync()
        {
            foreach (var client in clients) await client.DisposeAsync();
            await server.DisposeAsync();
        }
    }

    private static byte[] Frames(IEnumerable<string> texts) =>
        texts.SelectMany(text => RawWebSocketClient.BuildFrame(WebSocketOpcode.Text, Encoding.UTF8.GetBytes(text))).ToArray();

    private static async Task<string[]> ReceiveTextsAsync(RawWebSocketClient client, int count)
    {
        var texts = new string[count];
        for (int i = 0; i < count; i++)
        {
            var received = await client.ReceiveAsync(Timeout);
            Assert.Equal(ReceivedEventType.Message, received.Type);
            texts[i] = received.Text;
        }
        return texts;
    }

    private readonly ref struct TextEncoder(string text) : IBroadcastEncoder
    {
        public SharedBuffer Encode(int protocolIndex) => SharedBuffer.CopyOf(Encoding.UTF8.GetBytes(text));
    }

    /// <summary>Text frame of the payload, as the /broadcast endpoint frames a message.</summary>
    private readonly ref struct FrameEncoder(ReadOnlySpan<byte> payload) : IBroadcastEncoder
    {
        private readonly ReadOnlySpan<byte> _payload = payload;

        public SharedBuffer Encode(int protocolIndex)
        {
            var frame = SharedBuffer.Rent(WebSocketFrameWriter.GetFrameSize(_payload.Length, masked: false));
            WebSocketFrameWriter.WriteFrame(frame.Span, WebSocketOpcode.Text, _payload);
            return frame;
        }
    }

    /// <summary>
    /// ?room=NAME joins a room; "pub:X" publishes X to the sender's room, "bcast:X" broadcasts it plainly,
    /// "direct:X" answers X to the sender alone, "move:R" leaves the room for R. Counts queue entries per member.
    /// </summary>
    private sealed class PublishApplication : IWebSocketApplication
    {
        private const int Protocol = 5;
        private readonly RoomRegistry _rooms = new(new RoomRegistryOptions { MaxRoomsPerMember = 1, PublishProtocol = Protocol });
        private readonly List<Member> _members = [];

        private int _queueEntries;

        public Task WaitForMembersAsync(int count) =>
            Eventually.AssertAsync(() => { lock (_members) return _members.Count >= count; }, Timeout, () => $"fewer than {count} members joined");

        /// <summary>Queue entries every member took so far (a merged run of messages is one).</summary>
        public int QueueEntries => Volatile.Read(ref _queueEntries);

        public void OnOpen(WebSocketSession session, HttpRequestHead request)
        {
            var member = new Member(session, this) { Room = request.GetQueryValue("room") ?? "r" };
            session.State = member;
            lock (_members) _members.Add(member);
            _rooms.Join(member, member.Room);
        }

        public void OnMessage(WebSocketSession session, WebSocketMessageKind kind, in ReadOnlySequence<byte> payload)
        {
            var member = (Member)session.State!;
            string text = Encoding.UTF8.GetString(payload.ToArray());
            int colon = text.IndexOf(':');
            string command = text[..colon];
            byte[] argument = Encoding.UTF8.GetBytes(text[(colon + 1)..]);
            switch (command)
            {
                case "pub":
                    _rooms.Publish(member.Room, new FrameEncoder(argument));
                    break;
                case "bcast":
                    _rooms.Broadcast(BroadcastTarget.ToRoom(member.Room), new FrameEncoder(argument));
                    break;
                case "direct":
                    session.Send(WebSocketMessageKind.Text, argument);
                    break;
                case "move":
                    _rooms.Leave(member, member.Room);
                    member.Room = Encoding.UTF8.GetString(argument);
                    _rooms.Join(member, member.Room);
                    break;
            }
        }

        public void OnClose(WebSocketSession session, ushort code)
        {
            if (session.State is Member member) _rooms.RemoveMember(member);
        }

        private sealed class Member(WebSocketSession session, PublishApplication app) : IRoomMember
        {
            public required string Room { get; set; }
            public long MemberId => session.Id;
            public int ProtocolIndex => Protocol;
            public RoomMembership Rooms { get; } = new();

            public SendResult Send(SharedBuffer frame, bool isVolatile)
            {
                Interlocked.Increment(ref app._queueEntries);
                return session.SendFramed(frame, isVolatile);
            }
        }
    }
}
