using FastRealtime.Transport.WebSockets;
using static FastRealtime.Tests.WebSockets.Framing.FrameFeeder;

namespace FastRealtime.Tests.WebSockets.Framing;

/// <summary>RFC 6455 §5.4 fragmentation, §8.1 UTF-8 in text messages, and the size limits.</summary>
public class FrameReaderMessageTests : FramingTheories
{
    [Fact]
    public void Read_RfcFragmentedUnmaskedText_DeliversOneMessage()
    {
        byte[] wire =
        [
            0b0000_0001, 0b0000_0011, 0x48, 0x65, 0x6c, // not FIN, text, length 3: "Hel"
            0b1000_0000, 0b0000_0010, 0x6c, 0x6f, // FIN, continuation, length 2: "lo"
        ];
        AssertEveryFeed(WebSocketRole.Client, wire, [FrameEvent.Text("Hello")]);
    }

    [Theory]
    [MemberData(nameof(Roles))]
    public void Read_ThreeFragmentsWithEmptyMiddle_DeliversOneMessage(WebSocketRole role)
    {
        byte[] wire = Wire.Concat(
            Wire.Frame(role, 0b0000_0010, [1, 2]), // not FIN, binary
            Wire.Frame(role, 0b0000_0000, []), // not FIN, continuation, empty
            Wire.Frame(role, 0b1000_0000, [3])); // FIN, continuation
        AssertEveryFeed(role, wire, [FrameEvent.Binary([1, 2, 3])]);
    }

    [Theory]
    [MemberData(nameof(Roles))]
    public void Read_ControlFramesBetweenFragments_DeliveredBeforeTheMessage(WebSocketRole role)
    {
        byte[] wire = Wire.Concat(
            Wire.Frame(role, 0b0000_0001, "frag"), // not FIN, text
            Wire.Frame(role, 0b1000_1001, "p1"), // FIN, ping (§5.4: control frames MAY be injected between fragments)
            Wire.Frame(role, 0b0000_0000, "men"), // not FIN, continuation
            Wire.Frame(role, 0b1000_1010, "p2"), // FIN, pong
            Wire.Frame(role, 0b1000_0000, "ted")); // FIN, continuation
        AssertEveryFeed(role, wire,
            [FrameEvent.Ping("p1"u8.ToArray()), FrameEvent.Pong("p2"u8.ToArray()), FrameEvent.Text("fragmented")]);
    }

    [Theory]
    [MemberData(nameof(Roles))]
    public void Read_ContinuationWithoutMessage_UnexpectedContinuation(WebSocketRole role)
    {
        byte[] wire = Wire.Frame(role, 0b1000_0000, "x"); // FIN, continuation, but no message started
        AssertEveryFeed(role, wire, [], FrameError.UnexpectedContinuation);
    }

    [Theory]
    [MemberData(nameof(Roles))]
    public void Read_ContinuationAfterCompleteMessage_UnexpectedContinuation(WebSocketRole role)
    {
        byte[] wire = Wire.Concat(
            Wire.Frame(role, 0b1000_0001, "done"), // FIN, text: complete
            Wire.Frame(role, 0b1000_0000, "x")); // FIN, continuation of nothing
        AssertEveryFeed(role, wire, [FrameEvent.Text("done")], FrameError.UnexpectedContinuation);
    }

    [Theory]
    [InlineData(WebSocketRole.Server, 0b1000_0001)] // FIN, text
    [InlineData(WebSocketRole.Server, 0b0000_0010)] // not FIN, binary
    [InlineData(WebSocketRole.Client, 0b1000_0010)] // FIN, binary
    public void Read_NewDataFrameWhileMessageInProgress_ContinuationExpected(WebSocketRole role, byte first)
    {
        byte[] wire = Wire.Concat(
            Wire.Frame(role, 0b0000_0001, "a"), // not FIN, text: message in progress
            Wire.Frame(role, first, "b"));
        AssertEveryFeed(role, wire, [], FrameError.ContinuationExpected);
    }

    [Theory]
    [MemberData(nameof(Roles))]
    public void Read_CodePointSplitAcrossFragments_DeliversText(WebSocketRole role)
    {
        byte[] wire = Wire.Concat(
            Wire.Frame(role, 0b0000_0001, [0x41, 0xE2]), // not FIN, text: "A" + first byte of U+20AC
            Wire.Frame(role, 0b0000_0000, [0x82]), // not FIN, continuation: second byte
            Wire.Frame(role, 0b1000_0000, [0xAC, 0x42])); // FIN, continuation: last byte + "B"
        AssertEveryFeed(role, wire, [FrameEvent.Text("A€B")]);
    }

    [Theory]
    [MemberData(nameof(Roles))]
    public void Read_InvalidUtf8InSingleFrame_InvalidUtf8(WebSocketRole role)
    {
        byte[] wire = Wire.Frame(role, 0b1000_0001, [0x48, 0xC0, 0x80]); // FIN, text: overlong NUL
        AssertEveryFeed(role, wire, [], FrameError.InvalidUtf8);
    }

    [Theory]
    [MemberData(nameof(Roles))]
    public void Read_InvalidUtf8AcrossFragments_InvalidUtf8(WebSocketRole role)
    {
        byte[] wire = Wire.Concat(
            Wire.Frame(role, 0b0000_0001, [0x41, 0xED]), // not FIN, text: lead of a 3-byte sequence
            Wire.Frame(role, 0b1000_0000, [0xA0, 0x80])); // FIN, continuation: completes surrogate U+D800
        AssertEveryFeed(role, wire, [], FrameError.InvalidUtf8);
    }

    [Theory]
    [MemberData(nameof(Roles))]
    public void Read_TextEndingInsideCodePoint_InvalidUtf8(WebSocketRole role)
    {
        byte[] wire = Wire.Frame(role, 0b1000_0001, [0x41, 0xE2, 0x82]); // FIN, text: U+20AC missing its last byte
        AssertEveryFeed(role, wire, [], FrameError.InvalidUtf8);
    }

    [Theory]
    [MemberData(nameof(Roles))]
    public void Read_BinaryWithInvalidUtf8_IsDelivered(WebSocketRole role)
    {
        byte[] wire = Wire.Frame(role, 0b1000_0010, [0xC0, 0xFF]); // FIN, binary: never UTF-8 checked
        AssertEveryFeed(role, wire, [FrameEvent.Binary([0xC0, 0xFF])]);
    }

    [Theory]
    [InlineData(WebSocketRole.Server, 100)] // in-place frame
    [InlineData(WebSocketRole.Client, 100)]
    [InlineData(WebSocketRole.Server, 40_000)] // streamed frame (over the in-place limit)
    [InlineData(WebSocketRole.Client, 40_000)]
    public void Read_InvalidUtf8EarlyInFrame_FailsBeforeTheFrameEnds(WebSocketRole role, int length)
    {
        byte[] payload = new byte[length];
        payload.AsSpan().Fill((byte)'a');
        payload[4] = 0xF4; // F4 90: above U+10FFFF, invalid whatever follows
        payload[5] = 0x90;
        byte[] frame = Wire.Frame(role, 0b1000_0001, payload); // FIN, text
        int headerSize = WebSocketFrameWriter.GetHeaderSize(length, role == WebSocketRole.Server);

        using var reader = new WebSocketFrameReader(role, new WebSocketLimits());
        var handler = new RecordingHandler();
        var buffer = SegmentedSequence.Create(frame[..(headerSize + 6)]); // the rest has not arrived
        Assert.Equal(FrameError.InvalidUtf8, reader.Read(ref buffer, ref handler));
    }

    [Theory]
    [MemberData(nameof(Roles))]
    public void Read_FrameOverMaxFrameSize_FrameTooBigBeforePayload(WebSocketRole role)
    {
        var limits = new WebSocketLimits { MaxFrameSize = 1000 };
        byte[] header = Wire.Concat(
            [0b1000_0010, (byte)(Wire.MaskBit(role) | 126), 0x03, 0xE9], // FIN, binary, 16-bit length 1001
            Wire.MaskKey(role)); // no payload sent: the limit is checked on the header alone
        AssertEveryFeed(role, header, [], FrameError.FrameTooBig, limits);
    }

    [Theory]
    [MemberData(nameof(Roles))]
    public void Read_SingleFrameOverMaxMessageSize_MessageTooBigBeforePayload(WebSocketRole role)
    {
        var limits = new WebSocketLimits { MaxMessageSize = 1000 };
        byte[] header = Wire.Concat(
            [0b1000_0001, (byte)(Wire.MaskBit(role) | 127), 0, 0, 0, 0, 0, 0, 0x03, 0xE9], // FIN, text, 64-bit length 1001
            Wire.MaskKey(role));
        AssertEveryFeed(role, header, [], FrameError.MessageTooBig, limits);
    }

    [Theory]
    [MemberData(nameof(Roles))]
    public void Read_FragmentsSummingOverMaxMessageSize_MessageTooBigBeforePayload(WebSocketRole role)
    {
        var limits = new WebSocketLimits { MaxMessageSize = 10 };
        byte[] wire = Wire.Concat(
            Wire.Frame(role, 0b0000_0010, new byte[6]), // not FIN, binary, 6 bytes
            [0b1000_0000, (byte)(Wire.MaskBit(role) | 5)], // FIN, continuation, length 5: 11 > 10
            Wire.MaskKey(role)); // its payload never arrives
        AssertEveryFeed(role, wire, [], FrameError.MessageTooBig, limits);
    }

    [Theory]
    [MemberData(nameof(Roles))]
    public void Read_MessageOfExactlyMaxMessageSize_IsDelivered(WebSocketRole role)
    {
        var limits = new WebSocketLimits { MaxMessageSize = 10, MaxFrameSize = 6 };
        byte[] wire = Wire.Concat(
            Wire.Frame(role, 0b0000_0010, [0, 1, 2, 3, 4, 5]), // not FIN, binary, 6 bytes
            Wire.Frame(role, 0b1000_0000, [6, 7, 8, 9])); // FIN, continuation, 4 bytes: exactly 10
        AssertEveryFeed(role, wire, [FrameEvent.Binary([0, 1, 2, 3, 4, 5, 6, 7, 8, 9])], limits: limits);
    }

    [Theory]
    [MemberData(nameof(Roles))]
    public void Read_MoreFragmentsThanAllowed_TooManyFragments(WebSocketRole role)
    {
        var limits = new WebSocketLimits { MaxFragmentsPerMessage = 3 };
        byte[] fragment = Wire.Frame(role, 0b0000_0000, []); // not FIN, continuation, empty
        byte[] wire = Wire.Concat(Wire.Frame(role, 0b0000_0010, []), fragment, fragment, fragment); // fourth frame is one too many
        AssertEveryFeed(role, wire, [], FrameError.TooManyFragments, limits);
    }

    [Theory]
    [InlineData(WebSocketRole.Server, 40_000)] // over the default 32 KiB in-place limit: streamed
    [InlineData(WebSocketRole.Client, 40_000)]
    [InlineData(WebSocketRole.Server, 1024 * 1024)]
    public void Read_LargeSingleFrame_DeliveredWhole(WebSocketRole role, int length)
    {
        byte[] payload = Wire.Random(new Random(length), length);
        AssertEveryFeed(role, Wire.Frame(role, 0b1000_0010, payload), [FrameEvent.Binary(payload)]);
    }

    [Theory]
    [MemberData(nameof(Roles))]
    public void Read_LargeTextSplitIntoFragments_DeliveredWhole(WebSocketRole role)
    {
        string text = string.Concat(Enumerable.Repeat("héllo wörld € 😀 ", 3000));
        byte[] utf8 = Wire.Utf8(text);
        int cut1 = 10_001, cut2 = 40_003; // both cut through multi-byte code points somewhere in the text
        byte[] wire = Wire.Concat(
            Wire.Frame(role, 0b0000_0001, utf8[..cut1]), // not FIN, text
            Wire.Frame(role, 0b1000_1001, "mid"), // FIN, ping
            Wire.Frame(role, 0b0000_0000, utf8[cut1..cut2]), // not FIN, continuation
            Wire.Frame(role, 0b1000_0000, utf8[cut2..])); // FIN, continuation
        AssertEveryFeed(role, wire, [FrameEvent.Ping("mid"u8.ToArray()), FrameEvent.Text(text)]);
    }

    [Fact]
    public void Read_AfterAnError_ReturnsTheSameErrorAndReadsNothing()
    {
        using var reader = new WebSocketFrameReader(WebSocketRole.Server, new WebSocketLimits());
        var handler = new RecordingHandler();
        var bad = SegmentedSequence.Create([0b1000_0011, 0x80, 0, 0, 0, 0]); // FIN, reserved opcode 0x3
        Assert.Equal(FrameError.ReservedOpcode, reader.Read(ref bad, ref handler));

        var good = SegmentedSequence.Create(Wire.Frame(WebSocketRole.Server, 0b1000_0001, "ok"));
        Assert.Equal(FrameError.ReservedOpcode, reader.Read(ref good, ref handler));
        Assert.Empty(handler.Events);
    }
}
