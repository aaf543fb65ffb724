using FastRealtime.Transport.Http;
using static FastRealtime.Tests.Http.HttpTestInput;

namespace FastRealtime.Tests.Http;

public class HttpRequestHeadParserTests
{
    [Fact]
    public void TryParse_SimpleGet_CompleteWithAllFields()
    {
        ForEverySplit("GET /socket.io/?EIO=4&transport=polling HTTP/1.1\r\nHost: localhost:8080\r\nAccept: */*\r\n\r\n", r =>
        {
            Assert.Equal(HttpParseStatus.Complete, r.Status);
            HttpRequestHead head = r.Head!;
            Assert.Same(KnownMethods.Get, head.Method);
            Assert.Equal("/socket.io/?EIO=4&transport=polling", head.Target);
            Assert.Equal("/socket.io/", head.Path);
            Assert.Equal("EIO=4&transport=polling", head.QueryString);
            Assert.True(head.IsHttp11);
            Assert.True(head.KeepAlive);
            Assert.Null(head.ContentLength);
            Assert.False(head.IsChunked);
            Assert.False(head.HasBody);
            Assert.Equal(2, head.Headers.Count);
            Assert.Equal("localhost:8080", head.Headers["host"]);
            Assert.Equal("*/*", head.Headers["ACCEPT"]);
            Assert.Null(head.Headers["Origin"]);
            Assert.Empty(r.Remaining);
        });
    }

    [Fact]
    public void TryParse_PostWithContentLength_ConsumesHeadAndLeavesBody()
    {
        ForEverySplit("POST /api/messages HTTP/1.1\r\nHost: a\r\nContent-Type: application/json\r\nContent-Length: 11\r\n\r\n{\"text\":\"\"}", r =>
        {
            Assert.Equal(HttpParseStatus.Complete, r.Status);
            Assert.Same(KnownMethods.Post, r.Head!.Method);
            Assert.Equal(11, r.Head.ContentLength);
            Assert.True(r.Head.HasBody);
            Assert.Equal("{\"text\":\"\"}", System.Text.Encoding.ASCII.GetString(r.Remaining));
        });
    }

    [Fact]
    public void TryParse_PipelinedRequests_LeavesNextRequestInBuffer()
    {
        const string second = "GET /metrics HTTP/1.1\r\nHost: a\r\n\r\n";
        ForEverySplit("GET /health HTTP/1.1\r\nHost: a\r\n\r\n" + second, r =>
        {
            Assert.Equal(HttpParseStatus.Complete, r.Status);
            Assert.Equal("/health", r.Head!.Path);
            Assert.Equal(second, System.Text.Encoding.ASCII.GetString(r.Remaining));
            RequestParse next = ParseRequest(new System.Buffers.ReadOnlySequence<byte>(r.Remaining));
            Assert.Equal(HttpParseStatus.Complete, next.Status);
            Assert.Equal("/metrics", next.Head!.Path);
            Assert.Empty(next.Remaining);
        });
    }

    [Fact]
    public void TryParse_IncompleteHead_LeavesBufferUntouched()
    {
        RequestParse r = ParseRequest("GET / HTTP/1.1\r\nHost: a\r\n");
        Assert.Equal(HttpParseStatus.Incomplete, r.Status);
        Assert.Null(r.Head);
        Assert.Equal(0, r.StatusCode);
        Assert.Equal("GET / HTTP/1.1\r\nHost: a\r\n", System.Text.Encoding.ASCII.GetString(r.Remaining));
    }

    [Fact]
    public void TryParse_TlsClientHelloOnPlainPort_400WithoutWaitingForLineEnd()
    {
        // TLS record header: handshake (0x16), version 3.1, length 0x00C8, then ClientHello (0x01) — no CRLF in sight.
        byte[] hello = [0x16, 0x03, 0x01, 0x00, 0xC8, 0x01, 0x00, 0x00, 0xC4, 0x03, 0x03];
        ForEverySplit(hello, r => Assert.Equal((HttpParseStatus.Error, 400), (r.Status, r.StatusCode)));
    }

    [Theory]
    [InlineData("\r")]
    [InlineData("GET")]
    [InlineData("GET /chat HTTP/1.")]
    public void TryParse_PlausiblePartialRequestLine_Incomplete(string partial)
    {
        Assert.Equal(HttpParseStatus.Incomplete, ParseRequest(partial).Status);
    }

    [Fact]
    public void TryParse_EmptyLinesBeforeRequestLine_Ignored()
    {
        ForEverySplit("\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n", r =>
        {
            Assert.Equal(HttpParseStatus.Complete, r.Status);
            Assert.Equal("/", r.Head!.Path);
        });
    }

    [Theory]
    [InlineData("GET / HTTP/1.1\r\nHost: a\r\n\r\n", true)]
    [InlineData("GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n", false)]
    [InlineData("GET / HTTP/1.1\r\nHost: a\r\nConnection: Upgrade, CLOSE\r\n\r\n", false)]
    [InlineData("GET / HTTP/1.0\r\n\r\n", false)]
    [InlineData("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n", true)]
    [InlineData("GET / HTTP/1.0\r\nConnection: keep-alive, close\r\n\r\n", false)]
    public void TryParse_ConnectionHeaderAndVersion_KeepAliveAsSpecified(string request, bool keepAlive)
    {
        RequestParse r = ParseRequest(request);
        Assert.Equal(HttpParseStatus.Complete, r.Status);
        Assert.Equal(keepAlive, r.Head!.KeepAlive);
    }

    [Fact]
    public void TryParse_Http10WithoutHost_Accepted()
    {
        RequestParse r = ParseRequest("GET /health HTTP/1.0\r\n\r\n");
        Assert.Equal(HttpParseStatus.Complete, r.Status);
        Assert.False(r.Head!.IsHttp11);
    }

    [Fact]
    public void TryParse_RepeatedHeaders_KeptInOrderAndTokensFoundInAnyLine()
    {
        RequestParse r = ParseRequest("GET / HTTP/1.1\r\nHost: a\r\nX-A: 1\r\nConnection: keep-alive\r\nx-a: 2\r\nConnection:  foo ,\tUpgrade \r\n\r\n");
        HttpHeaders headers = r.Head!.Headers;
        Assert.Equal(5, headers.Count);
        Assert.Equal("1", headers["X-A"]);
        Assert.Equal(["1", "2"], headers.GetValues("x-A"));
        Assert.Equal(2, headers.CountOf("CONNECTION"));
        Assert.True(headers.ContainsToken("connection", "upgrade"));
        Assert.True(headers.ContainsToken("Connection", "FOO"));
        Assert.False(headers.ContainsToken("Connection", "keep"));
        Assert.Equal(["Host", "X-A", "Connection", "x-a", "Connection"], headers.Select(h => h.Key));
    }

    [Fact]
    public void TryParse_ValueWithOptionalWhitespaceAndObsText_TrimmedAndLatin1()
    {
        RequestParse r = ParseRequest("GET / HTTP/1.1\r\nHost:a\r\nX-Name: \t caf\xE9 au lait \t\r\nX-Empty:\r\n\r\n");
        Assert.Equal(HttpParseStatus.Complete, r.Status);
        Assert.Equal("a", r.Head!.Headers["Host"]);
        Assert.Equal("caf\u00E9 au lait", r.Head.Headers["X-Name"]);
        Assert.Equal("", r.Head.Headers["X-Empty"]);
    }

    [Theory]
    [InlineData("EIO", "4")]
    [InlineData("transport", "polling")]
    [InlineData("name", "a b c/\u00E9")]
    [InlineData("flag", "")]
    [InlineData("bad", "%zz%4")]
    [InlineData("sp ace", "x")]
    [InlineData("missing", null)]
    [InlineData("eio", null)]
    public void GetQueryValue_EncodedQuery_DecodedFirstValue(string name, string? expected)
    {
        RequestParse r = ParseRequest("GET /socket.io/?EIO=4&transport=polling&transport=websocket&name=a%20b+c%2F%C3%A9&flag&bad=%zz%4&sp+ace=x HTTP/1.1\r\nHost: a\r\n\r\n");
        Assert.Equal(expected, r.Head!.GetQueryValue(name));
    }

    [Theory]
    [InlineData("GET http://example.com:8080/chat?x=1 HTTP/1.1", "/chat", "x=1")]
    [InlineData("GET http://example.com HTTP/1.1", "/", "")]
    [InlineData("GET https://example.com?q HTTP/1.1", "/", "q")]
    [InlineData("OPTIONS * HTTP/1.1", "*", "")]
    [InlineData("GET /a/b%20c? HTTP/1.1", "/a/b%20c", "")]
    public void TryParse_TargetForms_PathAndQuerySplit(string requestLine, string path, string query)
    {
        RequestParse r = ParseRequest(requestLine + "\r\nHost: example.com\r\n\r\n");
        Assert.Equal(HttpParseStatus.Complete, r.Status);
        Assert.Equal(path, r.Head!.Path);
        Assert.Equal(query, r.Head.QueryString);
    }

    [Theory]
    [InlineData("GET", true)]
    [InlineData("DELETE", true)]
    [InlineData("OPTIONS", true)]
    [InlineData("PROPFIND", false)]
    public void TryParse_Method_CommonOnesShared(string method, bool shared)
    {
        RequestParse r = ParseRequest(method + " / HTTP/1.1\r\nHost: a\r\n\r\n");
        Assert.Equal(method, r.Head!.Method);
        Assert.Equal(shared, ReferenceEquals(string.IsInterned(method), r.Head.Method));
    }

    [Fact]
    public void TryParse_ChunkedTransferEncoding_IsChunked()
    {
        ForEverySplit("POST /x HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: Chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n", r =>
        {
            Assert.Equal(HttpParseStatus.Complete, r.Status);
            Assert.True(r.Head!.IsChunked);
            Assert.Null(r.Head.ContentLength);
            Assert.Equal("5\r\nhello\r\n0\r\n\r\n", System.Text.Encoding.ASCII.GetString(r.Remaining));
        });
    }

    [Fact]
    public void TryParse_RepeatedEqualContentLength_Accepted()
    {
        RequestParse r = ParseRequest("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nContent-Length: 3\r\n\r\nabc");
        Assert.Equal(HttpParseStatus.Complete, r.Status);
        Assert.Equal(3, r.Head!.ContentLength);
    }

    public static TheoryData<string, string, int> MalformedRequests => new()
    {
        { "bare LF ends request line", "GET / HTTP/1.1\nHost: a\r\n\r\n", 400 },
        { "bare LF ends header", "GET / HTTP/1.1\r\nHost: a\n\r\n", 400 },
        { "bare LF ends head", "GET / HTTP/1.1\r\nHost: a\r\n\n", 400 },
        { "bare CR in value", "GET / HTTP/1.1\r\nHost: a\rb\r\n\r\n", 400 },
        { "space before colon", "GET / HTTP/1.1\r\nHost : a\r\n\r\n", 400 },
        { "tab before colon", "GET / HTTP/1.1\r\nHost\t: a\r\n\r\n", 400 },
        { "obs-fold", "GET / HTTP/1.1\r\nHost: a\r\nX-Long: one\r\n two\r\n\r\n", 400 },
        { "whitespace before first header", "GET / HTTP/1.1\r\n Host: a\r\n\r\n", 400 },
        { "control char in value", "GET / HTTP/1.1\r\nHost: a\r\nX: a\u0001b\r\n\r\n", 400 },
        { "NUL in value", "GET / HTTP/1.1\r\nHost: a\r\nX: a\0\r\n\r\n", 400 },
        { "DEL in value", "GET / HTTP/1.1\r\nHost: a\r\nX: \u007F\r\n\r\n", 400 },
        { "no colon", "GET / HTTP/1.1\r\nHost: a\r\nJustAName\r\n\r\n", 400 },
        { "empty name", "GET / HTTP/1.1\r\nHost: a\r\n: value\r\n\r\n", 400 },
        { "non-tchar in name", "GET / HTTP/1.1\r\nHost: a\r\nX(y): 1\r\n\r\n", 400 },
        { "non-tchar in method", "GE(T / HTTP/1.1\r\nHost: a\r\n\r\n", 400 },
        { "empty method", " / HTTP/1.1\r\nHost: a\r\n\r\n", 400 },
        { "no target", "GET HTTP/1.1\r\nHost: a\r\n\r\n", 400 },
        { "two spaces", "GET  / HTTP/1.1\r\nHost: a\r\n\r\n", 400 },
        { "trailing space", "GET / HTTP/1.1 \r\nHost: a\r\n\r\n", 400 },
        { "lowercase version", "GET / http/1.1\r\nHost: a\r\n\r\n", 400 },
        { "long minor version", "GET / HTTP/1.10\r\nHost: a\r\n\r\n", 400 },
        { "no version", "GET /\r\nHost: a\r\n\r\n", 400 },
        { "HTTP/2.0", "GET / HTTP/2.0\r\nHost: a\r\n\r\n", 505 },
        { "HTTP/0.9", "GET / HTTP/0.9\r\nHost: a\r\n\r\n", 505 },
        { "relative target", "GET index.html HTTP/1.1\r\nHost: a\r\n\r\n", 400 },
        { "authority-form", "CONNECT example.com:443 HTTP/1.1\r\nHost: a\r\n\r\n", 400 },
        { "asterisk for GET", "GET * HTTP/1.1\r\nHost: a\r\n\r\n", 400 },
        { "fragment in target", "GET /a#b HTTP/1.1\r\nHost: a\r\n\r\n", 400 },
        { "non-ASCII in target", "GET /caf\u00E9 HTTP/1.1\r\nHost: a\r\n\r\n", 400 },
        { "missing Host in 1.1", "GET / HTTP/1.1\r\nAccept: */*\r\n\r\n", 400 },
        { "two Hosts", "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400 },
        { "Content-Length not digits", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 12a\r\n\r\n", 400 },
        { "Content-Length negative", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: -1\r\n\r\n", 400 },
        { "Content-Length plus sign", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: +5\r\n\r\n", 400 },
        { "Content-Length empty", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: \r\n\r\n", 400 },
        { "Content-Length list", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5, 5\r\n\r\n", 400 },
        { "Content-Length overflow", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 99999999999999999999\r\n\r\n", 400 },
        { "Content-Length differing", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n", 400 },
        { "Content-Length and Transfer-Encoding", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n", 400 },
        { "Transfer-Encoding not ending in chunked", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip\r\n\r\n", 400 },
        { "chunked twice", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n", 400 },
        { "Transfer-Encoding in 1.0", "POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n", 400 },
        { "unsupported coding", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", 501 },
        { "body over MaxBodyBytes", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1000001\r\n\r\n", 413 },
    };

    [Theory]
    [MemberData(nameof(MalformedRequests))]
    public void TryParse_MalformedRequest_ErrorWithStatus(string because, string request, int expectedStatus)
    {
        ForEverySplit(request, r =>
        {
            Assert.True(r.Status == HttpParseStatus.Error, because);
            Assert.Equal(expectedStatus, r.StatusCode);
            Assert.False(string.IsNullOrEmpty(r.Reason));
            Assert.Null(r.Head);
            Assert.Equal(request.Length, r.Remaining.Length);
        });
    }
}
