using System.Buffers;
using System.Text;
using FastRealtime.LoadGen.Protocols;
using FastRealtime.LoadGen.Sessions;
using FastRealtime.Tests.WebSockets.Framing;

namespace FastRealtime.Tests.LoadGen;

/// <summary>The socketio and signalr payloads byte for byte, and reading stamps back from what servers send.</summary>
public class PeerProtocolPayloadTests
{
    private const long Ticks = 0x0123456789abcdef;
    private const int Publisher = 0x2a;
    private const string Stamp = "0123456789abcdef0000002a";

    [Fact]
    public void CreatePayload_SocketIoEcho_EventWithAckIdOneAndStampedString()
    {
        var protocol = new SocketIoProtocol("/");

        byte[] payload = Stamped(protocol, protocol.CreatePayload("identity", null, 50, out int offset), offset);

        Assert.Equal("421[\"identity\",\"" + Stamp + "xxxxxxxx\"]", Encoding.UTF8.GetString(payload));
        Assert.Equal(50, payload.Length);
    }

    [Fact]
    public void CreatePayload_SocketIoBroadcastInNamespace_NamespaceThenRoomThenStamp()
    {
        var protocol = new SocketIoProtocol("/chat");

        byte[] payload = Stamped(protocol, protocol.CreatePayload("broadcast", "room-1", 0, out int offset), offset);

        Assert.Equal("42/chat,[\"broadcast\",\"room-1\",\"" + Stamp + "\"]", Encoding.UTF8.GetString(payload));
        Assert.True(payload.Length <= protocol.MinimumPayloadSize + "/chat,".Length);
    }

    [Fact]
    public void CreatePayload_SignalRBroadcast_InvocationRecordEndedBySeparator()
    {
        byte[] payload = Stamped(SignalRProtocol.Instance, SignalRProtocol.Instance.CreatePayload("broadcast", "room-0", 0, out int offset), offset);

        Assert.Equal("{\"type\":1,\"target\":\"broadcast\",\"arguments\":[\"room-0\",\"" + Stamp + "\"]}\u001e", Encoding.UTF8.GetString(payload));
        Assert.Equal(SignalRProtocol.Instance.MinimumPayloadSize, payload.Length);
    }

    [Theory]
    [InlineData("42[\"broadcast\",\"" + Stamp + "xxxx\"]")]              // delivery on "/"
    [InlineData("431[\"" + Stamp + "\"]")]                               // echo ack
    [InlineData("42/chat,[\"broadcast\",\"" + Stamp + "\"]")]            // delivery in a namespace
    [InlineData("43/chat,17[\"" + Stamp + "\"]")]                        // ack in a namespace
    public void TryReadStamp_SocketIoPacketsSplitAtEveryByte_FindsStamp(string packet)
    {
        var protocol = new SocketIoProtocol("/");
        foreach (ReadOnlySequence<byte> sequence in Splits(packet))
        {
            Assert.True(protocol.TryReadStamp(sequence, out long ticks, out int publisher));
            Assert.Equal((Ticks, Publisher), (ticks, publisher));
        }
    }

    [Theory]
    [InlineData("{\"type\":1,\"target\":\"broadcast\",\"arguments\":[\"" + Stamp + "xx\"]}\u001e")]
    [InlineData("{\"target\":\"echo\",\"arguments\":[\"" + Stamp + "\"],\"type\":1}")]    // any key order, no separator
    public void TryReadStamp_SignalRRecordsSplitAtEveryByte_FindsStamp(string record)
    {
        foreach (ReadOnlySequence<byte> sequence in Splits(record))
        {
            Assert.True(SignalRProtocol.Instance.TryReadStamp(sequence, out long ticks, out int publisher));
            Assert.Equal((Ticks, Publisher), (ticks, publisher));
        }
    }

    [Theory]
    [InlineData("42[\"broadcast\",\"hello\"]")]
    [InlineData("42[\"broadcast\",\"0123456789abcdef\"]")]   // too short to be a stamp
    [InlineData("42[\"broadcast\",\"" + Stamp)]              // truncated JSON
    [InlineData("2")]
    [InlineData("")]
    public void TryReadStamp_SocketIoWithoutStamp_False(string packet) =>
        Assert.False(new SocketIoProtocol("/").TryReadStamp(new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes(packet)), out _, out _));

    [Theory]
    [InlineData("0{\"sid\":\"a\"}", '0', 0, -1, 1)]
    [InlineData("2", '2', 0, -1, 1)]
    [InlineData("40{\"sid\":\"b\"}", '4', '0', -1, 2)]
    [InlineData("40/chat,{\"sid\":\"b\"}", '4', '0', -1, 8)]
    [InlineData("431[\"x\"]", '4', '3', 1, 3)]
    [InlineData("43/a,1234[]", '4', '3', 1234, 9)]
    [InlineData("44{\"message\":\"no\"}", '4', '4', -1, 2)]
    public void Parse_SocketIoPacketHeads_TypesAckIdAndDataStart(string packet, char engine, int socket, long ackId, int dataStart)
    {
        SocketIoPacketHead head = SocketIoPacketHead.Parse(Encoding.UTF8.GetBytes(packet));

        Assert.Equal((byte)engine, head.Engine);
        Assert.Equal(socket == 0 ? 0 : (byte)socket, head.Socket);
        Assert.Equal(ackId, head.AckId);
        Assert.Equal(dataStart, head.DataStart);
    }

    [Theory]
    [InlineData("{}", -1, false)]
    [InlineData("{\"error\":\"Handshake was canceled.\"}", -1, true)]
    [InlineData("{\"type\":6}", 6, false)]
    [InlineData("{\"type\":3,\"invocationId\":\"0\",\"result\":null}", 3, false)]
    [InlineData("{\"invocationId\":\"0\",\"error\":\"Unknown method\",\"type\":3}", 3, true)]
    [InlineData("{\"type\":1,\"target\":\"broadcast\",\"arguments\":[{\"type\":9}]}", 1, false)]   // nested "type" ignored
    public void Inspect_SignalRRecords_TypeAndError(string record, int type, bool hasError)
    {
        SignalRSession.Inspect(new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes(record)), out int actualType, out bool actualError);

        Assert.Equal((type, hasError), (actualType, actualError));
    }

    [Fact]
    public void TryReadStamp_ManyDeliveries_AllocatesNothing()
    {
        var socketIo = new SocketIoProtocol("/");
        var delivery = new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes("42[\"broadcast\",\"" + Stamp + new string('x', 1000) + "\"]"));
        var record = new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes("{\"type\":1,\"target\":\"broadcast\",\"arguments\":[\"" + Stamp + "\"]}\u001e"));
        for (int i = 0; i < 100; i++) Read();  // warm up (JIT, statics)

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10_000; i++) Read();

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);

        void Read()
        {
            Assert.True(socketIo.TryReadStamp(delivery, out _, out _));
            Assert.True(SignalRProtocol.Instance.TryReadStamp(record, out _, out _));
            SignalRSession.Inspect(record, out _, out _);
        }
    }

    private static byte[] Stamped(ILoadProtocol protocol, byte[] payload, int offset)
    {
        protocol.WriteStamp(payload.AsSpan(offset), Ticks, Publisher);
        return payload;
    }

    /// <summary>The text as one segment, then split in two at every byte boundary.</summary>
    internal static IEnumerable<ReadOnlySequence<byte>> Splits(string text)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(text);
        yield return new ReadOnlySequence<byte>(bytes);
        for (int cut = 1; cut < bytes.Length; cut++) yield return SegmentedSequence.Create(bytes[..cut], bytes[cut..]);
    }
}
