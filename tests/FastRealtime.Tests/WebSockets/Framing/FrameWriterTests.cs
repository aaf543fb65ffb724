using FastRealtime.Transport.WebSockets;
using static FastRealtime.Tests.WebSockets.Framing.FrameFeeder;

namespace FastRealtime.Tests.WebSockets.Framing;

public class FrameWriterTests
{
    [Theory]
    [InlineData(0, false, "8100")] // FIN text, length 0
    [InlineData(125, false, "817D")] // 7-bit length 125
    [InlineData(126, false, "817E007E")] // 16-bit length
    [InlineData(65535, false, "817EFFFF")]
    [InlineData(65536, false, "817F0000000000010000")] // 64-bit length
    [InlineData(5, true, "818537FA213D")] // MASK bit + key 37 fa 21 3d
    [InlineData(65536, true, "81FF000000000001000037FA213D")]
    public void WriteHeader_Length_UsesShortestEncoding(long length, bool masked, string expectedHex)
    {
        byte[] header = new byte[WebSocketFrameWriter.MaxHeaderSize];
        int written = WebSocketFrameWriter.WriteHeader(header, WebSocketOpcode.Text, length, masked: masked, maskKey: Wire.RfcMaskKey);
        Assert.Equal(expectedHex, Convert.ToHexString(header, 0, written));
        Assert.Equal(written, WebSocketFrameWriter.GetHeaderSize(length, masked));
    }

    [Fact]
    public void WriteHeader_FlagsAndOpcode_SetFirstByte()
    {
        byte[] header = new byte[2];
        WebSocketFrameWriter.WriteHeader(header, WebSocketOpcode.Binary, 1, fin: false, rsv1: true);
        Assert.Equal(0b0100_0010, header[0]); // not FIN, RSV1, binary
    }

    [Fact]
    public void WriteFrame_RfcMaskedHello_MatchesRfcBytes()
    {
        byte[] frame = new byte[WebSocketFrameWriter.GetFrameSize(5, masked: true)];
        byte[] payload = "Hello"u8.ToArray();
        int written = WebSocketFrameWriter.WriteFrame(frame, WebSocketOpcode.Text, payload, masked: true, maskKey: Wire.RfcMaskKey);
        Assert.Equal("818537FA213D7F9F4D5158", Convert.ToHexString(frame, 0, written));
        Assert.Equal("Hello"u8.ToArray(), payload); // the source is not masked in place
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(125)]
    [InlineData(126)]
    [InlineData(127)]
    [InlineData(65535)]
    [InlineData(65536)]
    [InlineData(1024 * 1024)]
    public void WriteFrame_ThenRead_RoundTripsBothRoles(int length)
    {
        byte[] binary = Wire.Random(new Random(length), length);
        foreach (WebSocketRole receiver in new[] { WebSocketRole.Server, WebSocketRole.Client })
        {
            bool masked = receiver == WebSocketRole.Server; // a client writes masked frames to a server
            byte[] wire = new byte[WebSocketFrameWriter.GetFrameSize(length, masked)];
            int written = WebSocketFrameWriter.WriteFrame(wire, WebSocketOpcode.Binary, binary, masked: masked, maskKey: WebSocketMaskKeys.Next());
            Assert.Equal(wire.Length, written);
            AssertEveryFeed(receiver, wire, [FrameEvent.Binary(binary)]);
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(125)]
    [InlineData(40_000)]
    public void WriteHeaderFragments_ThenRead_RoundTripText(int codePoints)
    {
        byte[] text = RandomText.Utf8(new Random(codePoints), codePoints);
        int cut = text.Length / 3;
        foreach (WebSocketRole receiver in new[] { WebSocketRole.Server, WebSocketRole.Client })
        {
            bool masked = receiver == WebSocketRole.Server;
            byte[] first = new byte[WebSocketFrameWriter.GetFrameSize(cut, masked)];
            WebSocketFrameWriter.WriteFrame(first, WebSocketOpcode.Text, text.AsSpan(0, cut), fin: false, masked, WebSocketMaskKeys.Next());
            byte[] last = new byte[WebSocketFrameWriter.GetFrameSize(text.Length - cut, masked)];
            WebSocketFrameWriter.WriteFrame(last, WebSocketOpcode.Continuation, text.AsSpan(cut), fin: true, masked, WebSocketMaskKeys.Next());
            AssertEveryFeed(receiver, Wire.Concat(first, last), [FrameEvent.Text(text)]);
        }
    }

    [Theory]
    [InlineData(WebSocketCloseCodes.NormalClosure, "")]
    [InlineData(WebSocketCloseCodes.GoingAway, "server restarting ✓")]
    [InlineData(4000, "private")]
    public void WriteClose_ThenRead_RoundTripsCodeAndReason(ushort code, string reason)
    {
        foreach (WebSocketRole receiver in new[] { WebSocketRole.Server, WebSocketRole.Client })
        {
            byte[] wire = new byte[WebSocketFrameWriter.MaxHeaderSize + 125];
            int written = WebSocketFrameWriter.WriteClose(wire, code, Wire.Utf8(reason), masked: receiver == WebSocketRole.Server, WebSocketMaskKeys.Next());
            AssertEveryFeed(receiver, wire[..written], [FrameEvent.Close(code, reason)]);
        }
    }

    [Fact]
    public void WriteClose_NoStatusReceived_WritesEmptyCloseFrame()
    {
        byte[] wire = new byte[2];
        int written = WebSocketFrameWriter.WriteClose(wire, WebSocketCloseCodes.NoStatusReceived, []);
        Assert.Equal("8800", Convert.ToHexString(wire, 0, written)); // FIN close, length 0
    }

    [Theory]
    [InlineData(WebSocketCloseCodes.AbnormalClosure, 0)] // local-only code
    [InlineData(999, 0)]
    [InlineData(WebSocketCloseCodes.NormalClosure, 124)] // reason over 123 bytes
    [InlineData(WebSocketCloseCodes.NoStatusReceived, 1)] // no code, so no reason either
    public void WriteClose_CodeOrReasonThatCannotBeSent_Throws(ushort code, int reasonLength)
    {
        byte[] wire = new byte[200];
        Assert.Throws<ArgumentException>(() => WebSocketFrameWriter.WriteClose(wire, code, new byte[reasonLength]));
    }

    [Fact]
    public void WriteFrame_InvalidArguments_Throw()
    {
        Assert.Throws<ArgumentException>(() => WebSocketFrameWriter.WriteFrame(new byte[10], WebSocketOpcode.Binary, new byte[9]));
        Assert.Throws<ArgumentException>(() => WebSocketFrameWriter.WriteFrame(new byte[200], WebSocketOpcode.Ping, new byte[126]));
        Assert.Throws<ArgumentException>(() => WebSocketFrameWriter.WriteHeader(new byte[14], WebSocketOpcode.Pong, 1, fin: false));
        Assert.Throws<ArgumentException>(() => WebSocketFrameWriter.WriteHeader(new byte[14], WebSocketOpcode.Binary, -1));
        Assert.Throws<ArgumentException>(() => WebSocketFrameWriter.WriteClose(new byte[3], 1000, []));
    }
}
