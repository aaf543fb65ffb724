using System.Buffers;
using System.Text;
using FastRealtime.Transport.Http;
using static FastRealtime.Tests.Http.HttpTestInput;

namespace FastRealtime.Tests.Http;

public class HttpResponseHeadParserTests
{
    private static (HttpParseStatus Status, HttpResponseHead? Head, string? Error, byte[] Remaining) Parse(ReadOnlySequence<byte> buffer, HttpLimits? limits = null)
    {
        HttpParseStatus status = HttpResponseHeadParser.TryParse(ref buffer, limits ?? new HttpLimits(), out HttpResponseHead? head, out string? error);
        return (status, head, error, buffer.ToArray());
    }

    [Fact]
    public void TryParse_SwitchingProtocolsFollowedByFrame_LeavesFrameInBuffer()
    {
        byte[] input = [.. Bytes("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n"),
            0x81, 0x02, (byte)'h', (byte)'i']; // FIN + text, unmasked, length 2, "hi"
        for (int cut = 0; cut <= input.Length; cut++)
        {
            var r = Parse(Segments(input, cut));
            Assert.Equal(HttpParseStatus.Complete, r.Status);
            Assert.Equal(101, r.Head!.StatusCode);
            Assert.Equal("Switching Protocols", r.Head.ReasonPhrase);
            Assert.True(r.Head.IsHttp11);
            Assert.Equal("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", r.Head.Headers["sec-websocket-accept"]);
            Assert.Equal(new byte[] { 0x81, 0x02, (byte)'h', (byte)'i' }, r.Remaining);
        }
        var perByte = Parse(OneBytePerSegment(input));
        Assert.Equal(HttpParseStatus.Complete, perByte.Status);
        Assert.Equal(4, perByte.Remaining.Length);
    }

    [Fact]
    public void TryParse_EveryPrefix_IncompleteUntilHeadEnds()
    {
        byte[] input = Bytes("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
        int headLength = input.Length - 2;
        for (int length = 0; length < headLength; length++)
        {
            Assert.Equal(HttpParseStatus.Incomplete, Parse(Segments(input[..length], length / 2)).Status);
        }
        var done = Parse(new ReadOnlySequence<byte>(input));
        Assert.Equal(2, done.Head!.ContentLength);
        Assert.Equal("ok", Encoding.ASCII.GetString(done.Remaining));
    }

    [Theory]
    [InlineData("HTTP/1.1 101\r\n\r\n", 101, "")]
    [InlineData("HTTP/1.1 404 \r\n\r\n", 404, "")]
    [InlineData("HTTP/1.0 503 Service Unavailable\r\n\r\n", 503, "Service Unavailable")]
    public void TryParse_StatusLineVariants_Parsed(string response, int status, string reason)
    {
        var r = Parse(new ReadOnlySequence<byte>(Bytes(response)));
        Assert.Equal(HttpParseStatus.Complete, r.Status);
        Assert.Equal(status, r.Head!.StatusCode);
        Assert.Equal(reason, r.Head.ReasonPhrase);
    }

    [Theory]
    [InlineData("HTTP/2 101 OK\r\n\r\n")]
    [InlineData("HTTP/1.1 1O1 OK\r\n\r\n")]
    [InlineData("HTTP/1.1 99 OK\r\n\r\n")]
    [InlineData("HTTP/1.1 1011 OK\r\n\r\n")]
    [InlineData("http/1.1 101 OK\r\n\r\n")]
    [InlineData("HTTP/1.1 101 OK\nUpgrade: websocket\r\n\r\n")]
    [InlineData("HTTP/1.1 101 OK\r\nUpgrade : websocket\r\n\r\n")]
    [InlineData("HTTP/1.1 101 OK\r\nUpgrade: websocket\r\n folded\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: x\r\n\r\n")]
    public void TryParse_MalformedResponse_Error(string response)
    {
        var r = Parse(new ReadOnlySequence<byte>(Bytes(response)));
        Assert.Equal(HttpParseStatus.Error, r.Status);
        Assert.False(string.IsNullOrEmpty(r.Error));
        Assert.Null(r.Head);
    }

    [Fact]
    public void TryParse_ResponseHeadOverLimit_Error()
    {
        var r = Parse(new ReadOnlySequence<byte>(Bytes("HTTP/1.1 200 OK\r\nX: " + new string('a', 100))), new HttpLimits { MaxRequestHeadBytes = 64 });
        Assert.Equal(HttpParseStatus.Error, r.Status);
    }
}
