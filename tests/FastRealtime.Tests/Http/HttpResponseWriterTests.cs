using System.Buffers;
using System.Text;
using FastRealtime.Transport.Http;

namespace FastRealtime.Tests.Http;

public class HttpResponseWriterTests
{
    private static (string Text, HttpResponseHead Head, string Body) Write(Action<ArrayBufferWriter<byte>> write)
    {
        var output = new ArrayBufferWriter<byte>();
        write(output);
        var buffer = new ReadOnlySequence<byte>(output.WrittenMemory);
        Assert.Equal(HttpParseStatus.Complete, HttpResponseHeadParser.TryParse(ref buffer, new HttpLimits(), out HttpResponseHead? head, out _));
        return (Encoding.Latin1.GetString(output.WrittenSpan), head!, Encoding.UTF8.GetString(buffer.ToArray()));
    }

    [Fact]
    public void WriteResponse_TextBody_StatusLineHeadersAndBody()
    {
        var (text, head, body) = Write(o => HttpResponseWriter.WriteResponse(o, 200, "ok\n"u8));
        Assert.StartsWith("HTTP/1.1 200 OK\r\nDate: ", text);
        Assert.EndsWith(" GMT\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: 3\r\nConnection: close\r\n\r\nok\n", text);
        Assert.Equal(3, head.ContentLength);
        Assert.Equal("ok\n", body);
        Assert.True(DateTimeOffset.TryParse(head.Headers["Date"], out _));
    }

    [Fact]
    public void WriteResponse_KeepAliveAndExtraHeaders_Written()
    {
        var (_, head, body) = Write(o => HttpResponseWriter.WriteResponse(o, 404, "{}"u8, "application/json", keepAlive: true,
            [new("Cache-Control", "no-store"), new("X-Request-Id", "42")]));
        Assert.Equal(404, head.StatusCode);
        Assert.Equal("Not Found", head.ReasonPhrase);
        Assert.Equal("keep-alive", head.Headers["Connection"]);
        Assert.Equal("application/json", head.Headers["Content-Type"]);
        Assert.Equal("no-store", head.Headers["Cache-Control"]);
        Assert.Equal("42", head.Headers["X-Request-Id"]);
        Assert.Equal("{}", body);
    }

    [Fact]
    public void WriteResponse_EmptyBody_ContentLengthZeroNoContentType()
    {
        var (_, head, _) = Write(o => HttpResponseWriter.WriteResponse(o, 200, default));
        Assert.Equal(0, head.ContentLength);
        Assert.Null(head.Headers["Content-Type"]);
    }

    [Fact]
    public void WriteResponse_NoContent_NoContentLength()
    {
        var (_, head, _) = Write(o => HttpResponseWriter.WriteResponse(o, 204, default));
        Assert.Equal(204, head.StatusCode);
        Assert.Null(head.ContentLength);
    }

    [Fact]
    public void WriteResponseHead_DeclaredLength_BodyLeftToCaller()
    {
        var (text, head, _) = Write(o => HttpResponseWriter.WriteResponseHead(o, 200, 1234, "application/octet-stream", keepAlive: true));
        Assert.Equal(1234, head.ContentLength);
        Assert.EndsWith("\r\n\r\n", text);
    }

    [Theory]
    [InlineData("X-Evil", "a\r\nSet-Cookie: x=1")]
    [InlineData("X-Evil", "a\nb")]
    [InlineData("X Evil", "a")]
    [InlineData("", "a")]
    [InlineData("X-Wide", "\u4E2D")]
    public void WriteResponse_InjectedHeader_Throws(string name, string value)
    {
        var output = new ArrayBufferWriter<byte>();
        Assert.Throws<ArgumentException>(() => HttpResponseWriter.WriteResponse(output, 200, "x"u8, extraHeaders: [new(name, value)]));
    }

    [Fact]
    public void WriteResponse_BodyOnNoContent_Throws()
    {
        Assert.Throws<ArgumentException>(() => HttpResponseWriter.WriteResponse(new ArrayBufferWriter<byte>(), 204, "x"u8));
    }

    [Theory]
    [InlineData(200, "OK")]
    [InlineData(101, "Switching Protocols")]
    [InlineData(400, "Bad Request")]
    [InlineData(403, "Forbidden")]
    [InlineData(413, "Content Too Large")]
    [InlineData(426, "Upgrade Required")]
    [InlineData(431, "Request Header Fields Too Large")]
    [InlineData(501, "Not Implemented")]
    [InlineData(505, "HTTP Version Not Supported")]
    [InlineData(299, "")]
    public void ReasonPhrase_KnownAndUnknownCodes_StandardText(int status, string reason)
    {
        Assert.Equal(reason, HttpResponseWriter.ReasonPhrase(status));
    }
}
