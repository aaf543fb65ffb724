using System.Text;
using FastRealtime.Chat.Gateways;
using FastRealtime.Core.Buffers;
using FastRealtime.Core.Connections;
using FastRealtime.Core.Rooms;
using FastRealtime.Transport;
using Microsoft.Extensions.DependencyInjection;

namespace FastRealtime.Tests.Gateways;

/// <summary>
/// A gateway emit into a room whose members speak the three gateway wire protocols: each protocol's frame is built
/// once and shared by its members, and the emit allocates nothing after warm-up.
/// </summary>
public sealed class GatewayMixedProtocolBroadcastTests
{
    [Fact]
    public void Emit_RoomOfThreeProtocols_OneSharedFramePerProtocol()
    {
        using var services = new ServiceCollection().AddGateway<TestGateway>().BuildServiceProvider();
        var ns = services.GetRequiredService<GatewayServer>().Of("test");
        var members = new[]
        {
            new RecordingMember(1, WireProtocols.WebSocketJson), new RecordingMember(2, WireProtocols.SocketIoWebSocket),
            new RecordingMember(3, WireProtocols.SocketIoPolling), new RecordingMember(4, WireProtocols.SocketIoWebSocket),
        };
        foreach (var member in members)
        {
            ns.Rooms.AddMember(member);
            ns.Rooms.Join(member, "r");
        }

        var result = ns.To("r").Emit("msg", new { text = "hi" });

        Assert.Equal(4, result.Recipients);
        Assert.Equal("""{"event":"msg","data":{"text":"hi"}}""", TextOfWebSocketFrame(members[0].Frames.Single()));
        // Engine.IO message "4" holding Socket.IO EVENT "2" for namespace /test; a WebSocket text frame (0x81) ...
        Assert.Equal(0x81, members[1].Frames.Single()[0]);
        Assert.Equal("""42/test,["msg",{"text":"hi"}]""", TextOfWebSocketFrame(members[1].Frames.Single()));
        // ... or the long-polling segment, queued for the next poll.
        Assert.Equal("""42/test,["msg",{"text":"hi"}]""", Encoding.UTF8.GetString(members[2].Frames.Single()));
        Assert.Same(members[1].Buffers.Single(), members[3].Buffers.Single()); // encoded once for both WebSocket members
    }

    [Fact]
    public void Emit_RoomOfThreeProtocols_AllocatesNothingAfterWarmUp()
    {
        using var services = new ServiceCollection().AddGateway<TestGateway>().BuildServiceProvider();
        var ns = services.GetRequiredService<GatewayServer>().Of("test");
        foreach (var protocol in new[] { WireProtocols.WebSocketJson, WireProtocols.SocketIoWebSocket, WireProtocols.SocketIoPolling })
        {
            var member = new DiscardingMember(protocol + 1, protocol);
            ns.Rooms.AddMember(member);
            ns.Rooms.Join(member, "r");
        }
        int delivered = 0;
        for (int i = 0; i < 3; i++) delivered += ns.To("r").Emit("msg", i).Recipients; // warm-up: pools, JIT, the name cache
        // Best of three rounds (the buffer pool is process-wide; parallel tests may grow it once in a while).
        long allocated = long.MaxValue;
        for (int round = 0; round < 3; round++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < 1_000; i++) delivered += ns.To("r").Emit("msg", i).Recipients;
            allocated = Math.Min(allocated, GC.GetAllocatedBytesForCurrentThread() - before);
        }
        Assert.Equal(0, allocated);
        Assert.Equal(3 * 3_003, delivered);
    }

    // Server frames are unmasked; these payloads are under 126 bytes, so the header is two bytes.
    private static string TextOfWebSocketFrame(byte[] frame) => Encoding.UTF8.GetString(frame.AsSpan(2, frame[1] & 0x7F));

    private sealed class RecordingMember(long id, int protocolIndex) : IRoomMember
    {
        public List<byte[]> Frames { get; } = [];
        public List<SharedBuffer> Buffers { get; } = [];
        public long MemberId => id;
        public int ProtocolIndex => protocolIndex;
        public RoomMembership Rooms { get; } = new();

        public SendResult Send(SharedBuffer frame, bool isVolatile)
        {
            Frames.Add(frame.Span.ToArray());
            Buffers.Add(frame);
            return SendResult.Queued;
        }
    }

    private sealed class DiscardingMember(long id, int protocolIndex) : IRoomMember
    {
        public long MemberId => id;
        public int ProtocolIndex => protocolIndex;
        public RoomMembership Rooms { get; } = new();
        public SendResult Send(SharedBuffer frame, bool isVolatile) => SendResult.Queued;
    }
}
