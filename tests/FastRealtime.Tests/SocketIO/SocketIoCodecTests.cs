using System.Text;
using FastRealtime.Core.Rooms;
using FastRealtime.Transport;
using FastRealtime.Transport.EngineIO;
using FastRealtime.Transport.SocketIO;

namespace FastRealtime.Tests.SocketIO;

/// <summary>Socket.IO v5 packet text form (socket.io-protocol v5 "Packet encoding") and Engine.IO v4 polling payloads.</summary>
public sealed class SocketIoCodecTests
{
    private static byte[] B(string s) => Encoding.UTF8.GetBytes(s);

    [Theory]
    //          packet                                           type  namespace  ack  attachments  data
    [InlineData("0",                                              0,   "/",       -1,  0,  "")]
    [InlineData("0{\"token\":\"x\"}",                             0,   "/",       -1,  0,  "{\"token\":\"x\"}")]
    [InlineData("0/admin,{\"token\":\"x\"}",                      0,   "/admin",  -1,  0,  "{\"token\":\"x\"}")]
    [InlineData("1/admin,",                                       1,   "/admin",  -1,  0,  "")]
    [InlineData("2[\"hello\",1]",                                 2,   "/",       -1,  0,  "[\"hello\",1]")]
    [InlineData("2/admin,456[\"project:delete\",123]",            2,   "/admin",  456, 0,  "[\"project:delete\",123]")]
    [InlineData("3/admin,456[]",                                  3,   "/admin",  456, 0,  "[]")]
    [InlineData("4{\"message\":\"Not authorized\"}",              4,   "/",       -1,  0,  "{\"message\":\"Not authorized\"}")]
    [InlineData("51-[\"hello\",{\"_placeholder\":true,\"num\":0}]", 5, "/",       -1,  1,  "[\"hello\",{\"_placeholder\":true,\"num\":0}]")]
    [InlineData("61-/admin,456[{\"_placeholder\":true,\"num\":0}]", 6, "/admin",  456, 1,  "[{\"_placeholder\":true,\"num\":0}]")]
    public void Parse_SpecExamples_Fields(string text, int type, string ns, long ackId, int attachments, string data)
    {
        Assert.Equal(SocketIoParseError.None, SocketIoPacketParser.Parse(B(text), out var packet));
        Assert.Equal((SocketIoPacketType)type, packet.Type);
        Assert.Equal(ns, Encoding.UTF8.GetString(packet.Namespace));
        Assert.Equal(ackId, packet.AckId);
        Assert.Equal(attachments, packet.AttachmentCount);
        Assert.Equal(data, Encoding.UTF8.GetString(packet.Data));
    }

    [Theory]
    [InlineData("", SocketIoParseError.Empty)]
    [InlineData("7", SocketIoParseError.UnknownType)]
    [InlineData("x[]", SocketIoParseError.UnknownType)]
    [InlineData("5[\"a\"]", SocketIoParseError.BadAttachmentCount)]        // no "N-"
    [InlineData("5x-[\"a\"]", SocketIoParseError.BadAttachmentCount)]
    [InlineData("59999-[\"a\"]", SocketIoParseError.BadAttachmentCount)]   // over the bound
    [InlineData("21234567890123456[\"a\"]", SocketIoParseError.BadAckId)] // 16 digits
    [InlineData("2[\"a\"", SocketIoParseError.InvalidJson)]
    [InlineData("2[\"a\"]x", SocketIoParseError.InvalidJson)]            // trailing bytes
    [InlineData("2[\"a\"][]", SocketIoParseError.InvalidJson)]           // two values
    [InlineData("2", SocketIoParseError.InvalidPayload)]                 // EVENT without payload
    [InlineData("2[]", SocketIoParseError.InvalidPayload)]               // EVENT without a name
    [InlineData("2[1,2]", SocketIoParseError.InvalidPayload)]            // name not a string
    [InlineData("2{\"a\":1}", SocketIoParseError.InvalidPayload)]
    [InlineData("0[1]", SocketIoParseError.InvalidPayload)]              // CONNECT auth must be an object
    [InlineData("1{}", SocketIoParseError.InvalidPayload)]               // DISCONNECT carries nothing
    [InlineData("3{}", SocketIoParseError.InvalidPayload)]               // ACK data must be an array
    public void Parse_Malformed_Error(string text, SocketIoParseError expected) =>
        Assert.Equal(expected, SocketIoPacketParser.Parse(B(text), out _));

    [Fact]
    public void Arguments_Event_RawSlicesAfterName()
    {
        SocketIoPacketParser.Parse(B("2[\"ev\", {\"a\":[1,2]} ,\"s\",3,null]"), out var packet);
        var args = new SocketIoArguments(packet.Data, skip: 1);
        Assert.Equal(4, args.Count);
        Assert.Equal("{\"a\":[1,2]}", Encoding.UTF8.GetString(args[0]));
        Assert.Equal("\"s\"", Encoding.UTF8.GetString(args[1]));
        Assert.Equal("null", Encoding.UTF8.GetString(args[3]));
        Assert.Equal("{\"a\":[1,2]} ,\"s\",3,null", Encoding.UTF8.GetString(args.Joined));
        Assert.Equal(0, new SocketIoArguments(B("[\"only\"]"), skip: 1).Count);
        Assert.True(new SocketIoArguments(B("[\"only\"]"), skip: 1).Joined.IsEmpty);
    }

    [Theory]
    [InlineData("/", -1, 0, "2[\"ev\",1,\"x\"]")]
    [InlineData("/chat", -1, 0, "2/chat,[\"ev\",1,\"x\"]")]
    [InlineData("/chat", 12, 0, "2/chat,12[\"ev\",1,\"x\"]")]
    [InlineData("/", 7, 2, "52-7[\"ev\",1,\"x\"]")]
    public void WriteEvent_Forms_ParseBack(string ns, long ackId, int attachments, string expected)
    {
        var name = SocketIoPacketWriter.EncodeEventName("ev");
        var args = B("1,\"x\"");
        var buffer = new byte[SocketIoPacketWriter.EventLength(B(ns), name, args, ackId, attachments)];
        int written = SocketIoPacketWriter.WriteEvent(buffer, B(ns), name, args, ackId, attachments);
        Assert.Equal(buffer.Length, written);
        Assert.Equal(expected, Encoding.UTF8.GetString(buffer));
        Assert.Equal(SocketIoParseError.None, SocketIoPacketParser.Parse(buffer, out var packet));
        Assert.Equal(ackId, packet.AckId);
    }

    [Fact]
    public void WriteAck_WithAttachments_IsBinaryAck()
    {
        var args = B("{\"_placeholder\":true,\"num\":0}");
        var buffer = new byte[SocketIoPacketWriter.AckLength(B("/a"), 3, args, 1)];
        SocketIoPacketWriter.WriteAck(buffer, B("/a"), 3, args, 1);
        Assert.Equal("61-/a,3[{\"_placeholder\":true,\"num\":0}]", Encoding.UTF8.GetString(buffer));
    }

    [Fact]
    public void EncodeEventName_EscapesJson() =>
        Assert.Equal("a\"b</", System.Text.Json.JsonSerializer.Deserialize<string>(SocketIoPacketWriter.EncodeEventName("a\"b</")));

    [Fact]
    public void PollingPayload_TextPingAndBinary_ReadInOrder()
    {
        var reader = new PollingPayloadReader(B("4hello\u001e2\u001ebAQID"));
        var scratch = new byte[32];
        Assert.Equal(PollingPacketStatus.Packet, reader.TryRead(scratch, out var type, out var data, out bool binary));
        Assert.Equal((EngineIoPacketType.Message, "hello", false), (type, Encoding.UTF8.GetString(data), binary));
        Assert.Equal(PollingPacketStatus.Packet, reader.TryRead(scratch, out type, out data, out binary));
        Assert.Equal((EngineIoPacketType.Ping, 0), (type, data.Length));
        Assert.Equal(PollingPacketStatus.Packet, reader.TryRead(scratch, out type, out data, out binary));
        Assert.True(binary);
        Assert.Equal(new byte[] { 1, 2, 3 }, data.ToArray());
        Assert.Equal(PollingPacketStatus.End, reader.TryRead(scratch, out _, out _, out _));
    }

    [Theory]
    [InlineData("4a\u001e\u001e4b")] // empty packet between separators
    [InlineData("9x")]               // no such type
    [InlineData("b!!!")]             // not base64
    [InlineData("4a\u001e")]         // trailing separator: an empty packet
    public void PollingPayload_Malformed_Refused(string payload)
    {
        var reader = new PollingPayloadReader(B(payload));
        var scratch = new byte[32];
        PollingPacketStatus status;
        do status = reader.TryRead(scratch, out _, out _, out _);
        while (status == PollingPacketStatus.Packet);
        Assert.Equal(PollingPacketStatus.Malformed, status);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(3)]
    public void MessageBuffers_ConvertBetweenForms_SameAsBuiltDirectly(int attachmentCount)
    {
        var attachments = Enumerable.Range(0, attachmentCount).Select(i => new ReadOnlyMemory<byte>(new byte[i * 100 + 1])).ToArray();
        string text = "2[\"ev\"," + new string('x', 200) + "]"; // long enough for a 16-bit WebSocket length
        var ws = EngineIoMessageBuffers.RentWebSocket(text.Length, attachments, out var wsText);
        B(text).CopyTo(wsText);
        var polling = EngineIoMessageBuffers.RentPolling(text.Length, attachments, out var pollingText);
        B(text).CopyTo(pollingText);
        Assert.True(EngineIoMessageBuffers.IsWebSocketForm(ws.Span));
        Assert.False(EngineIoMessageBuffers.IsWebSocketForm(polling.Span));

        var toPolling = EngineIoMessageBuffers.WebSocketToPolling(ws.Span);
        var toWebSocket = EngineIoMessageBuffers.PollingToWebSocket(polling.Span);
        Assert.Equal(polling.Span.ToArray(), toPolling.Span.ToArray());
        Assert.Equal(ws.Span.ToArray(), toWebSocket.Span.ToArray());
        foreach (var b in new[] { ws, polling, toPolling, toWebSocket }) b.Release();
    }

    [Fact]
    public void BroadcastEncoder_EachForm_FramesTheEvent()
    {
        var encoder = new SocketIoBroadcastEncoder(B("/chat"), SocketIoPacketWriter.EncodeEventName("m"), B("1"));
        var ws = encoder.Encode(WireProtocols.SocketIoWebSocket);
        var polling = encoder.Encode(WireProtocols.SocketIoPolling);
        Assert.Equal("42/chat,[\"m\",1]", Encoding.UTF8.GetString(polling.Span));
        Assert.Equal(0x81, ws.Span[0]); // FIN + text
        Assert.Equal("42/chat,[\"m\",1]", Encoding.UTF8.GetString(ws.Span[2..]));
        ws.Release();
        polling.Release();
        Assert.Throws<ArgumentOutOfRangeException>(() => new SocketIoBroadcastEncoder(B("/"), B("\"m\""), B("")).Encode(0));
    }

    [Fact]
    public void ParseAndBroadcastEncode_ManyIterations_AllocateNothing()
    {
        byte[] packet = B("2/chat,17[\"chat:send-message\",{\"roomId\":\"general\",\"text\":\"hello\"},42]");
        byte[] name = SocketIoPacketWriter.EncodeEventName("chat:message");
        var registry = new RoomRegistry();
        registry.AddMember(new DiscardingMember(1, WireProtocols.SocketIoWebSocket));
        registry.AddMember(new DiscardingMember(2, WireProtocols.SocketIoPolling));
        int queued = 0;
        for (int i = 0; i < 3; i++) Run(); // warm-up: pools filled, JIT done
        // Best of three rounds: the shared buffer pool is process-wide, and tests running in parallel can make it grow
        // a queue segment on this thread once in a while; a real per-message allocation shows in every round.
        long allocated = long.MaxValue;
        for (int round = 0; round < 3; round++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < 1_000; i++) Run();
            allocated = Math.Min(allocated, GC.GetAllocatedBytesForCurrentThread() - before);
        }
        Assert.Equal(0, allocated);
        Assert.Equal(2 * 3_003, queued); // both wire forms were encoded and delivered every time

        void Run()
        {
            SocketIoPacketParser.Parse(packet, out var parsed);
            var args = new SocketIoArguments(parsed.Data, skip: 1);
            int total = 0;
            foreach (var arg in args) total += arg.Length;
            var joined = args.Joined;
            var result = registry.Broadcast(BroadcastTarget.ToEveryone(), new SocketIoBroadcastEncoder("/chat"u8, name, joined));
            queued += result.Queued;
            var frame = new SocketIoBroadcastEncoder("/chat"u8, name, joined).Encode(WireProtocols.SocketIoWebSocket);
            frame.Release();
            if (total == 0) throw new InvalidOperationException("no arguments read");
        }
    }

    /// <summary>A member that accepts every frame and keeps none (the broadcast's own reference covers the call).</summary>
    private sealed class DiscardingMember(long id, int protocolIndex) : IRoomMember
    {
        public long MemberId => id;
        public int ProtocolIndex => protocolIndex;
        public RoomMembership Rooms { get; } = new();
        public FastRealtime.Core.Connections.SendResult Send(FastRealtime.Core.Buffers.SharedBuffer frame, bool isVolatile) =>
            FastRealtime.Core.Connections.SendResult.Queued;
    }
}
