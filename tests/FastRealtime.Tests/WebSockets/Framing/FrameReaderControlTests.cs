using FastRealtime.Transport.WebSockets;
using static FastRealtime.Tests.WebSockets.Framing.FrameFeeder;

namespace FastRealtime.Tests.WebSockets.Framing;

/// <summary>RFC 6455 §5.5 control frames: ping, pong and close.</summary>
public class FrameReaderControlTests : FramingTheories
{
    [Fact]
    public void Read_RfcUnmaskedPingToClient_DeliversPing()
    {
        byte[] wire =
        [
            0b1000_1001, // FIN, opcode 0x9 ping
            0b0000_0101, // MASK 0, length 5
            0x48, 0x65, 0x6c, 0x6c, 0x6f, // "Hello"
        ];
        AssertEveryFeed(WebSocketRole.Client, wire, [FrameEvent.Ping("Hello"u8.ToArray())]);
    }

    [Fact]
    public void Read_RfcMaskedPongToServer_DeliversPong()
    {
        byte[] wire =
        [
            0b1000_1010, // FIN, opcode 0xA pong
            0b1000_0101, // MASK 1, length 5
            0x37, 0xfa, 0x21, 0x3d, // mask key
            0x7f, 0x9f, 0x4d, 0x51, 0x58, // "Hello" masked
        ];
        AssertEveryFeed(WebSocketRole.Server, wire, [FrameEvent.Pong("Hello"u8.ToArray())]);
    }

    [Theory]
    [MemberData(nameof(Roles))]
    public void Read_EmptyPingAnd125BytePing_AreDelivered(WebSocketRole role)
    {
        byte[] big = Wire.Random(new Random(125), 125);
        byte[] wire = Wire.Concat(
            Wire.Frame(role, 0b1000_1001, []), // FIN, ping, empty
            Wire.Frame(role, 0b1000_1001, big)); // FIN, ping, 125 bytes: the largest control payload
        AssertEveryFeed(role, wire, [FrameEvent.Ping([]), FrameEvent.Ping(big)]);
    }

    [Theory]
    [MemberData(nameof(Roles))]
    public void Read_ControlFrameOver125Bytes_ControlFrameTooLong(WebSocketRole role)
    {
        byte[] wire = Wire.Concat(
            [0b1000_1001, (byte)(Wire.MaskBit(role) | 126), 0x00, 0x7E], // FIN, ping, 16-bit length 126
            Wire.MaskKey(role));
        AssertEveryFeed(role, wire, [], FrameError.ControlFrameTooLong);
    }

    [Theory]
    [InlineData(WebSocketRole.Server, 0b0000_1001)] // not FIN, ping
    [InlineData(WebSocketRole.Client, 0b0000_1010)] // not FIN, pong
    [InlineData(WebSocketRole.Server, 0b0000_1000)] // not FIN, close
    public void Read_ControlFrameWithoutFin_ControlFrameFragmented(WebSocketRole role, byte first)
    {
        AssertEveryFeed(role, Wire.Frame(role, first, "x"), [], FrameError.ControlFrameFragmented);
    }

    [Theory]
    [MemberData(nameof(Roles))]
    public void Read_CloseWithoutBody_DeliversNoStatusReceived(WebSocketRole role)
    {
        byte[] wire = Wire.Frame(role, 0b1000_1000, []); // FIN, close, length 0
        AssertEveryFeed(role, wire, [FrameEvent.Close(WebSocketCloseCodes.NoStatusReceived)]);
    }

    [Theory]
    [MemberData(nameof(Roles))]
    public void Read_CloseWithCodeAndReason_DeliversBoth(WebSocketRole role)
    {
        byte[] wire = Wire.Frame(role, 0b1000_1000, Wire.CloseBody(1001, Wire.Utf8("bye ✓"))); // FIN, close: 0x03E9 + reason
        AssertEveryFeed(role, wire, [FrameEvent.Close(1001, "bye ✓")]);
    }

    [Theory]
    [MemberData(nameof(Roles))]
    public void Read_BytesAfterClose_AreLeftUnread(WebSocketRole role)
    {
        byte[] after = Wire.Frame(role, 0b1000_0001, "late"); // FIN, text: must not be delivered (§5.5.1)
        byte[] wire = Wire.Concat(
            Wire.Frame(role, 0b1000_0001, "early"),
            Wire.Frame(role, 0b1000_1000, Wire.CloseBody(1000, [])), // FIN, close 1000
            after);
        AssertEveryFeed(role, wire, [FrameEvent.Text("early"), FrameEvent.Close(1000)]);

        FeedResult result = FeedWhole(role, wire);
        Assert.True(result.CloseReceived);
        Assert.Equal(after, result.Unconsumed);
    }

    [Theory]
    [MemberData(nameof(Roles))]
    public void Read_CloseBetweenFragments_DeliversCloseAndStops(WebSocketRole role)
    {
        byte[] wire = Wire.Concat(
            Wire.Frame(role, 0b0000_0001, "part"), // not FIN, text
            Wire.Frame(role, 0b1000_1000, Wire.CloseBody(1000, []))); // FIN, close
        AssertEveryFeed(role, wire, [FrameEvent.Close(1000)]);
    }

    [Theory]
    [MemberData(nameof(Roles))]
    public void Read_CloseWithOneByteBody_InvalidCloseFrame(WebSocketRole role)
    {
        byte[] wire = Wire.Frame(role, 0b1000_1000, [0x03]); // FIN, close, length 1: half a status code
        AssertEveryFeed(role, wire, [], FrameError.InvalidCloseFrame);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(999)]
    [InlineData(1004)] // reserved
    [InlineData(1005)] // no status: local only
    [InlineData(1006)] // abnormal: local only
    [InlineData(1015)] // TLS failure: local only
    [InlineData(1016)]
    [InlineData(2999)]
    [InlineData(5000)]
    [InlineData(65535)]
    public void Read_CloseWithCodeThatMayNotBeSent_InvalidCloseCode(ushort code)
    {
        foreach (WebSocketRole role in new[] { WebSocketRole.Server, WebSocketRole.Client })
        {
            AssertEveryFeed(role, Wire.Frame(role, 0b1000_1000, Wire.CloseBody(code, [])), [], FrameError.InvalidCloseCode);
        }
    }

    [Theory]
    [InlineData(1000)]
    [InlineData(1003)]
    [InlineData(1007)]
    [InlineData(1011)]
    [InlineData(1014)]
    [InlineData(3000)]
    [InlineData(4999)]
    public void Read_CloseWithValidCode_DeliversCode(ushort code)
    {
        foreach (WebSocketRole role in new[] { WebSocketRole.Server, WebSocketRole.Client })
        {
            AssertEveryFeed(role, Wire.Frame(role, 0b1000_1000, Wire.CloseBody(code, [])), [FrameEvent.Close(code)]);
        }
    }

    [Theory]
    [MemberData(nameof(Roles))]
    public void Read_CloseReasonNotUtf8_InvalidCloseReason(WebSocketRole role)
    {
        byte[] wire = Wire.Frame(role, 0b1000_1000, Wire.CloseBody(1000, [0x6f, 0x6b, 0xFF])); // FIN, close: "ok" + 0xFF
        AssertEveryFeed(role, wire, [], FrameError.InvalidCloseReason);
    }
}
