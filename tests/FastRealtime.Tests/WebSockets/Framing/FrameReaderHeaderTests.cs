using FastRealtime.Transport.WebSockets;
using static FastRealtime.Tests.WebSockets.Framing.FrameFeeder;

namespace FastRealtime.Tests.WebSockets.Framing;

/// <summary>RFC 6455 §5.2 base framing: header bits, opcodes, the three length encodings and masking per role.</summary>
public class FrameReaderHeaderTests : FramingTheories
{
    [Fact]
    public void Read_RfcUnmaskedTextToClient_DeliversHello()
    {
        byte[] wire =
        [
            0b1000_0001, // FIN, opcode 0x1 text
            0b0000_0101, // MASK 0, length 5
            0x48, 0x65, 0x6c, 0x6c, 0x6f, // "Hello"
        ];
        AssertEveryFeed(WebSocketRole.Client, wire, [FrameEvent.Text("Hello")]);
    }

    [Fact]
    public void Read_RfcMaskedTextToServer_DeliversUnmaskedHello()
    {
        byte[] wire =
        [
            0b1000_0001, // FIN, opcode 0x1 text
            0b1000_0101, // MASK 1, length 5
            0x37, 0xfa, 0x21, 0x3d, // mask key
            0x7f, 0x9f, 0x4d, 0x51, 0x58, // "Hello" masked
        ];
        AssertEveryFeed(WebSocketRole.Server, wire, [FrameEvent.Text("Hello")]);
    }

    [Theory]
    [InlineData(WebSocketRole.Server, 0)]
    [InlineData(WebSocketRole.Server, 1)]
    [InlineData(WebSocketRole.Server, 125)]
    [InlineData(WebSocketRole.Client, 0)]
    [InlineData(WebSocketRole.Client, 125)]
    public void Read_SevenBitLength_DeliversPayload(WebSocketRole role, int length)
    {
        byte[] payload = Wire.Random(new Random(length), length);
        byte[] wire = Wire.Concat(
            [0b1000_0010, (byte)(Wire.MaskBit(role) | length)], // FIN binary; MASK per role, 7-bit length
            Wire.MaskKey(role),
            Wire.Payload(role, payload));
        AssertEveryFeed(role, wire, [FrameEvent.Binary(payload)]);
    }

    [Theory]
    [InlineData(WebSocketRole.Server, 126)]
    [InlineData(WebSocketRole.Server, 256)]
    [InlineData(WebSocketRole.Client, 256)]
    [InlineData(WebSocketRole.Server, 65535)]
    [InlineData(WebSocketRole.Client, 65535)]
    public void Read_SixteenBitLength_DeliversPayload(WebSocketRole role, int length)
    {
        byte[] payload = Wire.Random(new Random(length), length);
        byte[] wire = Wire.Concat(
            [0b1000_0010, (byte)(Wire.MaskBit(role) | 126), (byte)(length >> 8), (byte)length], // length 126: 16-bit length follows
            Wire.MaskKey(role),
            Wire.Payload(role, payload));
        AssertEveryFeed(role, wire, [FrameEvent.Binary(payload)]);
    }

    [Theory]
    [MemberData(nameof(Roles))]
    public void Read_SixtyFourBitLength_DeliversPayload(WebSocketRole role)
    {
        byte[] payload = Wire.Random(new Random(7), 65536);
        byte[] wire = Wire.Concat(
            [0b1000_0010, (byte)(Wire.MaskBit(role) | 127), 0, 0, 0, 0, 0, 0x01, 0x00, 0x00], // length 127: 64-bit length 65536
            Wire.MaskKey(role),
            Wire.Payload(role, payload));
        AssertEveryFeed(role, wire, [FrameEvent.Binary(payload)]);
    }

    [Theory]
    [MemberData(nameof(Roles))]
    public void Read_NonMinimalLengthEncoding_IsAccepted(WebSocketRole role)
    {
        byte[] wire = Wire.Concat(
            [0b1000_0001, (byte)(Wire.MaskBit(role) | 126), 0x00, 0x02], // 16-bit length holding 2 (7 bits would do)
            Wire.MaskKey(role),
            Wire.Payload(role, "hi"u8.ToArray()));
        AssertEveryFeed(role, wire, [FrameEvent.Text("hi")]);
    }

    [Theory]
    [MemberData(nameof(Roles))]
    public void Read_SixtyFourBitLengthWithHighBitSet_PayloadLengthHighBitSet(WebSocketRole role)
    {
        byte[] wire = Wire.Concat(
            [0b1000_0010, (byte)(Wire.MaskBit(role) | 127), 0x80, 0, 0, 0, 0, 0, 0, 0x01], // MSB of the 64-bit length set
            Wire.MaskKey(role));
        AssertEveryFeed(role, wire, [], FrameError.PayloadLengthHighBitSet);
    }

    [Theory]
    [InlineData(WebSocketRole.Server, 0b1100_0001)] // FIN, RSV1, text
    [InlineData(WebSocketRole.Server, 0b1010_0001)] // FIN, RSV2, text
    [InlineData(WebSocketRole.Server, 0b1001_0001)] // FIN, RSV3, text
    [InlineData(WebSocketRole.Client, 0b1100_0010)] // FIN, RSV1, binary
    [InlineData(WebSocketRole.Client, 0b1011_0010)] // FIN, RSV2+3, binary
    public void Read_ReservedBitSetWithoutExtension_ReservedBitsSet(WebSocketRole role, byte first)
    {
        byte[] wire = Wire.Frame(role, first, "x");
        AssertEveryFeed(role, wire, [], FrameError.ReservedBitsSet);
    }

    [Fact]
    public void Read_ReservedBitInFirstByte_FailsBeforeSecondByteArrives()
    {
        using var reader = new WebSocketFrameReader(WebSocketRole.Server, new WebSocketLimits());
        var handler = new RecordingHandler();
        var buffer = SegmentedSequence.Create([0b1010_0001]); // FIN, RSV2, text; nothing else yet
        Assert.Equal(FrameError.ReservedBitsSet, reader.Read(ref buffer, ref handler));
    }

    [Theory]
    [MemberData(nameof(Roles))]
    public void Read_Rsv1OnFirstFrameWhenAllowed_DeliversMessageMarkedCompressed(WebSocketRole role)
    {
        byte[] wire = Wire.Concat(
            Wire.Frame(role, 0b0100_0001, "ab"), // RSV1, text, not FIN: first fragment of a compressed message
            Wire.Frame(role, 0b1000_0000, [0xFF]), // FIN, continuation (no RSV1); compressed text is not UTF-8 checked here
            Wire.Frame(role, 0b1000_0010, "c")); // FIN, binary, uncompressed
        AssertEveryFeed(role, wire, [FrameEvent.Text([0x61, 0x62, 0xFF]), FrameEvent.Binary("c"u8.ToArray())], allowRsv1: true);

        var compressed = new List<bool>();
        FrameFeeder.Feed(role, [wire], allowRsv1: true, compressed: compressed);
        Assert.Equal([true, false], compressed);
    }

    [Theory]
    [InlineData(0b1100_1001)] // FIN, RSV1, ping
    [InlineData(0b1100_0000)] // FIN, RSV1, continuation (after a fragment below)
    public void Read_Rsv1OnControlOrContinuationWhenAllowed_ReservedBitsSet(byte first)
    {
        var role = WebSocketRole.Server;
        byte[] wire = Wire.Concat(Wire.Frame(role, 0b0000_0010, "a"), Wire.Frame(role, first, "b")); // binary fragment, then the bad frame
        AssertEveryFeed(role, wire, [], FrameError.ReservedBitsSet, allowRsv1: true);
    }

    public static TheoryData<WebSocketRole, byte> ReservedOpcodes() =>
        ForBothRoles<byte>([0x3, 0x4, 0x5, 0x6, 0x7, 0xB, 0xC, 0xD, 0xE, 0xF]);

    [Theory]
    [MemberData(nameof(ReservedOpcodes))]
    public void Read_ReservedOpcode_ReservedOpcode(WebSocketRole role, byte opcode)
    {
        byte[] wire = Wire.Frame(role, (byte)(0b1000_0000 | opcode), "x"); // FIN, reserved opcode
        AssertEveryFeed(role, wire, [], FrameError.ReservedOpcode);
    }

    [Fact]
    public void Read_UnmaskedFrameToServer_MaskRequired()
    {
        byte[] wire =
        [
            0b1000_0001, // FIN, text
            0b0000_0101, // MASK 0: a client must mask (§5.1)
            0x48, 0x65, 0x6c, 0x6c, 0x6f,
        ];
        AssertEveryFeed(WebSocketRole.Server, wire, [], FrameError.MaskRequired);
    }

    [Fact]
    public void Read_MaskedFrameToClient_MaskNotAllowed()
    {
        byte[] wire =
        [
            0b1000_0001, // FIN, text
            0b1000_0101, // MASK 1: a server must not mask (§5.1)
            0x37, 0xfa, 0x21, 0x3d,
            0x7f, 0x9f, 0x4d, 0x51, 0x58,
        ];
        AssertEveryFeed(WebSocketRole.Client, wire, [], FrameError.MaskNotAllowed);
    }

    [Theory]
    [MemberData(nameof(Roles))]
    public void Read_EmptyDataFrames_DeliverEmptyMessages(WebSocketRole role)
    {
        byte[] wire = Wire.Concat(
            Wire.Frame(role, 0b1000_0001, ""), // FIN, text, length 0
            Wire.Frame(role, 0b1000_0010, "")); // FIN, binary, length 0
        AssertEveryFeed(role, wire, [FrameEvent.Text(""), FrameEvent.Binary([])]);
    }

    [Theory]
    [MemberData(nameof(Roles))]
    public void Read_SeveralFramesInOneBuffer_DeliversAllInOrder(WebSocketRole role)
    {
        byte[] wire = Wire.Concat(
            Wire.Frame(role, 0b1000_0001, "one"),
            Wire.Frame(role, 0b1000_0010, [1, 2, 3]),
            Wire.Frame(role, 0b1000_1001, "ping"),
            Wire.Frame(role, 0b1000_0001, "two"));
        AssertEveryFeed(role, wire,
            [FrameEvent.Text("one"), FrameEvent.Binary([1, 2, 3]), FrameEvent.Ping("ping"u8.ToArray()), FrameEvent.Text("two")]);
    }

    [Theory]
    [MemberData(nameof(Roles))]
    public void Read_IncompleteHeader_ConsumesNothing(WebSocketRole role)
    {
        byte[] frame = Wire.Frame(role, 0b1000_0010, new byte[300]); // 16-bit length, + mask key towards a server
        int headerSize = WebSocketFrameWriter.GetHeaderSize(300, role == WebSocketRole.Server);
        for (int length = 0; length < headerSize; length++)
        {
            using var reader = new WebSocketFrameReader(role, new WebSocketLimits());
            var handler = new RecordingHandler();
            var buffer = SegmentedSequence.Create(frame[..length]);
            Assert.Equal(FrameError.None, reader.Read(ref buffer, ref handler));
            Assert.Equal(length, buffer.Length);
            Assert.Empty(handler.Events);
        }
    }
}
