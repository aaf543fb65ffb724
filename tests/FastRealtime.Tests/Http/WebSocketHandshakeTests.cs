using System.Buffers;
using System.Text;
using FastRealtime.Transport.Http;
using FastRealtime.Transport.WebSockets;
using static FastRealtime.Tests.Http.HttpTestInput;

namespace FastRealtime.Tests.Http;

public class WebSocketHandshakeTests
{
    private const string SampleKey = "dGhlIHNhbXBsZSBub25jZQ==";
    // RFC 6455 §1.3 / §4.2.2: this key must yield this accept value.
    private const string SampleAccept = "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=";

    private static string Upgrade(string extraLines = "", string method = "GET", string version = "HTTP/1.1",
        string upgrade = "websocket", string connection = "Upgrade", string key = SampleKey, string wsVersion = "13") =>
        $"{method} /chat {version}\r\nHost: server.example.com\r\nUpgrade: {upgrade}\r\nConnection: {connection}\r\n" +
        $"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: {wsVersion}\r\n{extraLines}\r\n";

    private static HttpRequestHead Head(string request)
    {
        RequestParse r = ParseRequest(request);
        Assert.Equal(HttpParseStatus.Complete, r.Status);
        return r.Head!;
    }

    private static WebSocketHandshakeResult Validate(string request, WebSocketHandshakeOptions? options = null) =>
        WebSocketHandshake.Validate(Head(request), options ?? new WebSocketHandshakeOptions());

    [Fact]
    public void ComputeAcceptKey_Rfc6455SampleKey_MatchesSpec()
    {
        Span<byte> accept = stackalloc byte[28];
        Assert.Equal(28, WebSocketHandshake.ComputeAcceptKey(Encoding.ASCII.GetBytes(SampleKey), accept));
        Assert.Equal(SampleAccept, Encoding.ASCII.GetString(accept));
        Assert.Equal(SampleAccept, WebSocketHandshake.ComputeAcceptKey(SampleKey));
    }

    [Fact]
    public void ComputeAcceptKey_ShortDestination_Throws()
    {
        Assert.Throws<ArgumentException>(() => WebSocketHandshake.ComputeAcceptKey("a"u8, new byte[27]));
    }

    [Fact]
    public void ComputeAcceptKey_ManyCalls_AllocatesNothing()
    {
        byte[] key = Encoding.ASCII.GetBytes(SampleKey);
        byte[] destination = new byte[28];
        WebSocketHandshake.ComputeAcceptKey(key, destination);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++)
        {
            WebSocketHandshake.ComputeAcceptKey(key, destination);
        }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void Validate_Rfc6455SampleRequest_Accepted()
    {
        WebSocketHandshakeResult result = Validate(Upgrade("Origin: http://example.com\r\n"));
        Assert.True(result.Success);
        Assert.Equal(101, result.StatusCode);
        Assert.Null(result.Error);
        Assert.Equal(SampleAccept, result.AcceptKey);
        Assert.Null(result.Subprotocol);
        Assert.Empty(result.RequestedSubprotocols);
        Assert.Empty(result.RequestedExtensions);
    }

    [Theory]
    [InlineData("websocket", "Upgrade")]
    [InlineData("WebSocket", "upgrade")]
    [InlineData("WEBSOCKET", "UPGRADE")]
    [InlineData("h2c, websocket", "keep-alive, Upgrade")]
    [InlineData("websocket", "keep-alive,Upgrade")]
    [InlineData("websocket", " Upgrade ,\tkeep-alive")]
    public void Validate_UpgradeAndConnectionTokens_CaseInsensitiveInLists(string upgrade, string connection)
    {
        HttpRequestHead head = Head(Upgrade(upgrade: upgrade, connection: connection));
        Assert.True(WebSocketHandshake.IsUpgradeRequest(head));
        Assert.True(WebSocketHandshake.Validate(head, new WebSocketHandshakeOptions()).Success);
    }

    [Fact]
    public void IsUpgradeRequest_PlainGet_False()
    {
        Assert.False(WebSocketHandshake.IsUpgradeRequest(Head("GET /health HTTP/1.1\r\nHost: a\r\n\r\n")));
        Assert.False(WebSocketHandshake.IsUpgradeRequest(Head("GET /health HTTP/1.1\r\nHost: a\r\nUpgrade: h2c\r\n\r\n")));
    }

    [Theory]
    [InlineData("websockets", "Upgrade")]
    [InlineData("h2c", "Upgrade")]
    [InlineData("websocket", "keep-alive")]
    [InlineData("websocket", "Upgrades")]
    public void Validate_MissingUpgradeOrConnectionToken_400(string upgrade, string connection)
    {
        WebSocketHandshakeResult result = Validate(Upgrade(upgrade: upgrade, connection: connection));
        Assert.False(result.Success);
        Assert.Equal(400, result.StatusCode);
    }

    [Theory]
    [InlineData("not base64 at all!!!!!!!")]
    [InlineData("dGhlIHNhbXBsZSBub25jZQ")]        // padding missing
    [InlineData("dGhlIHNhbXBsZSBub25j")]          // 15 bytes
    [InlineData("dGhlIHNhbXBsZSBub25jZVg=")]      // 17 bytes
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAA")]  // 21 bytes
    [InlineData("dGhlIHNhbXBsZSBub25jZQ=*")]
    [InlineData("")]
    public void Validate_BadKey_400(string key)
    {
        WebSocketHandshakeResult result = Validate(Upgrade(key: key));
        Assert.Equal((false, 400), (result.Success, result.StatusCode));
    }

    [Fact]
    public void Validate_MissingOrRepeatedKey_400()
    {
        string noKey = Upgrade().Replace($"Sec-WebSocket-Key: {SampleKey}\r\n", "");
        Assert.Equal(400, Validate(noKey).StatusCode);
        Assert.Equal(400, Validate(Upgrade($"Sec-WebSocket-Key: {SampleKey}\r\n")).StatusCode);
    }

    [Theory]
    [InlineData("8")]
    [InlineData("12")]
    [InlineData("14")]
    [InlineData("13, 8")]
    public void Validate_UnsupportedVersion_426(string version)
    {
        WebSocketHandshakeResult result = Validate(Upgrade(wsVersion: version));
        Assert.Equal((false, 426), (result.Success, result.StatusCode));
    }

    [Fact]
    public void Validate_MissingVersion_426()
    {
        string request = Upgrade().Replace("Sec-WebSocket-Version: 13\r\n", "");
        Assert.Equal(426, Validate(request).StatusCode);
    }

    [Fact]
    public void WriteRejection_Version8_426WithSupportedVersionAndClose()
    {
        WebSocketHandshakeResult result = Validate(Upgrade(wsVersion: "8"));
        var output = new ArrayBufferWriter<byte>();
        WebSocketHandshake.WriteRejection(output, result);
        var buffer = new ReadOnlySequence<byte>(output.WrittenMemory);
        Assert.Equal(HttpParseStatus.Complete, HttpResponseHeadParser.TryParse(ref buffer, new HttpLimits(), out HttpResponseHead? head, out _));
        Assert.Equal(426, head!.StatusCode);
        Assert.Equal("Upgrade Required", head.ReasonPhrase);
        Assert.Equal("13", head.Headers["Sec-WebSocket-Version"]);
        Assert.Equal("close", head.Headers["Connection"]);
        Assert.Equal(buffer.Length, head.ContentLength);
        Assert.Contains("13", Encoding.UTF8.GetString(buffer.ToArray()));
    }

    [Fact]
    public void WriteRejection_BadKey_400WithoutVersionHeader()
    {
        var output = new ArrayBufferWriter<byte>();
        WebSocketHandshake.WriteRejection(output, Validate(Upgrade(key: "short")));
        string text = Encoding.ASCII.GetString(output.WrittenSpan);
        Assert.StartsWith("HTTP/1.1 400 Bad Request\r\n", text);
        Assert.DoesNotContain("Sec-WebSocket-Version", text);
        Assert.Contains("Connection: close\r\n", text);
    }

    [Fact]
    public void Validate_MissingHost_400()
    {
        // The parser already refuses an HTTP/1.1 request without Host; the handshake re-checks heads built elsewhere.
        string noHost = Upgrade().Replace("Host: server.example.com\r\n", "");
        Assert.Equal((HttpParseStatus.Error, 400), (ParseRequest(noHost).Status, ParseRequest(noHost).StatusCode));
        var headers = new HttpHeaders();
        headers.Add("Upgrade", "websocket");
        headers.Add("Connection", "Upgrade");
        headers.Add("Sec-WebSocket-Key", SampleKey);
        headers.Add("Sec-WebSocket-Version", "13");
        var head = new HttpRequestHead("GET", "/chat", "/chat", "", true, headers, null, false, true);
        WebSocketHandshakeResult result = WebSocketHandshake.Validate(head, new WebSocketHandshakeOptions());
        Assert.Equal((false, 400), (result.Success, result.StatusCode));
    }

    [Theory]
    [InlineData("POST")]
    [InlineData("PUT")]
    [InlineData("HEAD")]
    public void Validate_MethodOtherThanGet_400(string method)
    {
        Assert.Equal(400, Validate(Upgrade(method: method)).StatusCode);
    }

    [Fact]
    public void Validate_Http10_400()
    {
        Assert.Equal(400, Validate(Upgrade(version: "HTTP/1.0")).StatusCode);
    }

    [Theory]
    [InlineData("https://chat.example.com", true)]
    [InlineData("HTTPS://Chat.Example.com", true)]
    [InlineData("https://evil.example.com", false)]
    [InlineData("https://chat.example.com.evil.com", false)]
    [InlineData("null", false)]
    public void Validate_OriginAllowList_403WhenNotListed(string origin, bool allowed)
    {
        var options = new WebSocketHandshakeOptions { AllowedOrigins = ["https://chat.example.com", "http://localhost:3000"] };
        WebSocketHandshakeResult result = Validate(Upgrade($"Origin: {origin}\r\n"), options);
        Assert.Equal(allowed ? 101 : 403, result.StatusCode);
    }

    [Fact]
    public void Validate_NoOriginWithAllowList_Accepted()
    {
        var options = new WebSocketHandshakeOptions { AllowedOrigins = ["https://chat.example.com"] };
        Assert.True(Validate(Upgrade(), options).Success);
    }

    [Fact]
    public void Validate_SubprotocolHook_SelectsOfferedProtocol()
    {
        IReadOnlyList<string>? seen = null;
        var options = new WebSocketHandshakeOptions
        {
            SelectSubprotocol = offered =>
            {
                seen = offered;
                return offered.Contains("chat.v1") ? "chat.v1" : null;
            },
        };
        WebSocketHandshakeResult result = Validate(Upgrade("Sec-WebSocket-Protocol: chat.v2, chat.v1\r\nSec-WebSocket-Protocol: json\r\n"), options);
        Assert.True(result.Success);
        Assert.Equal("chat.v1", result.Subprotocol);
        Assert.Equal(["chat.v2", "chat.v1", "json"], seen);
        Assert.Equal(["chat.v2", "chat.v1", "json"], result.RequestedSubprotocols);

        var output = new ArrayBufferWriter<byte>();
        WebSocketHandshake.WriteUpgradeResponse(output, result);
        Assert.Contains("\r\nSec-WebSocket-Protocol: chat.v1\r\n", Encoding.ASCII.GetString(output.WrittenSpan));
    }

    [Fact]
    public void Validate_SubprotocolHookDeclines_NoSubprotocol()
    {
        var options = new WebSocketHandshakeOptions { SelectSubprotocol = _ => null };
        WebSocketHandshakeResult result = Validate(Upgrade("Sec-WebSocket-Protocol: mqtt\r\n"), options);
        Assert.True(result.Success);
        Assert.Null(result.Subprotocol);
    }

    [Fact]
    public void Validate_NoHookOrNoOffer_HookNotConsultedAndNoSubprotocol()
    {
        Assert.Null(Validate(Upgrade("Sec-WebSocket-Protocol: chat\r\n")).Subprotocol);
        var options = new WebSocketHandshakeOptions { SelectSubprotocol = _ => throw new InvalidOperationException("must not be called") };
        Assert.True(Validate(Upgrade(), options).Success);
    }

    [Fact]
    public void Validate_HookReturnsUnofferedProtocol_Throws()
    {
        var options = new WebSocketHandshakeOptions { SelectSubprotocol = _ => "other" };
        Assert.Throws<InvalidOperationException>(() => Validate(Upgrade("Sec-WebSocket-Protocol: chat\r\n"), options));
    }

    [Fact]
    public void Validate_SubprotocolNotToken_400()
    {
        Assert.Equal(400, Validate(Upgrade("Sec-WebSocket-Protocol: chat v1\r\n")).StatusCode);
    }

    [Fact]
    public void Validate_ExtensionOffers_ReportedWithParameters()
    {
        WebSocketHandshakeResult result = Validate(Upgrade(
            "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits, x-custom; p=\"a,b\"\r\nSec-WebSocket-Extensions: permessage-deflate\r\n"));
        Assert.Equal(["permessage-deflate; client_max_window_bits", "x-custom; p=\"a,b\"", "permessage-deflate"], result.RequestedExtensions);
    }

    [Fact]
    public void WriteUpgradeResponse_SampleHandshake_ExactBytes()
    {
        var output = new ArrayBufferWriter<byte>();
        WebSocketHandshake.WriteUpgradeResponse(output, Validate(Upgrade()), "permessage-deflate");
        Assert.Equal(
            "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
            "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\nSec-WebSocket-Extensions: permessage-deflate\r\n\r\n",
            Encoding.ASCII.GetString(output.WrittenSpan));
    }

    [Fact]
    public void WriteUpgradeResponse_RejectedResult_Throws()
    {
        WebSocketHandshakeResult rejected = Validate(Upgrade(wsVersion: "8"));
        Assert.Throws<InvalidOperationException>(() => WebSocketHandshake.WriteUpgradeResponse(new ArrayBufferWriter<byte>(), rejected));
        WebSocketHandshakeResult accepted = Validate(Upgrade());
        Assert.Throws<InvalidOperationException>(() => WebSocketHandshake.WriteRejection(new ArrayBufferWriter<byte>(), accepted));
        Assert.Throws<InvalidOperationException>(() => WebSocketHandshake.WriteRejection(new ArrayBufferWriter<byte>(), default));
    }
}
