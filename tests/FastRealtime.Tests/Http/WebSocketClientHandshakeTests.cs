using System.Buffers;
using System.Text;
using FastRealtime.Transport.Http;
using FastRealtime.Transport.WebSockets;

namespace FastRealtime.Tests.Http;

public class WebSocketClientHandshakeTests
{
    private static HttpResponseHead ParseResponse(string text)
    {
        var buffer = new ReadOnlySequence<byte>(Encoding.ASCII.GetBytes(text));
        Assert.Equal(HttpParseStatus.Complete, HttpResponseHeadParser.TryParse(ref buffer, new HttpLimits(), out HttpResponseHead? head, out _));
        return head!;
    }

    private static string Response101(string key, string extra = "") =>
        $"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: {WebSocketHandshake.ComputeAcceptKey(key)}\r\n{extra}\r\n";

    [Fact]
    public void CreateClientKey_TwoCalls_Distinct16ByteBase64()
    {
        string a = WebSocketHandshake.CreateClientKey();
        string b = WebSocketHandshake.CreateClientKey();
        Assert.Equal(24, a.Length);
        Assert.Equal(16, Convert.FromBase64String(a).Length);
        Assert.NotEqual(a, b);
    }

    [Fact]
    public void WriteClientRequest_ThroughServerAndBack_RoundTripSucceeds()
    {
        string key = WebSocketHandshake.CreateClientKey();
        var request = new ArrayBufferWriter<byte>();
        WebSocketHandshake.WriteClientRequest(request, "127.0.0.1:9000", "/socket.io/?EIO=4&transport=websocket", key,
            [new("Origin", "http://localhost:3000"), new("Sec-WebSocket-Protocol", "chat.v1, chat.v2")]);

        var requestBytes = new ReadOnlySequence<byte>(request.WrittenMemory);
        Assert.Equal(HttpParseStatus.Complete, HttpRequestHeadParser.TryParse(ref requestBytes, new HttpLimits(), out HttpRequestHead? head, out _, out _));
        Assert.Equal(0, requestBytes.Length);
        Assert.Equal("websocket", head!.GetQueryValue("transport"));
        var options = new WebSocketHandshakeOptions { AllowedOrigins = ["http://localhost:3000"], SelectSubprotocol = p => p[1] };
        WebSocketHandshakeResult result = WebSocketHandshake.Validate(head, options);
        Assert.True(result.Success, result.Error);

        var response = new ArrayBufferWriter<byte>();
        WebSocketHandshake.WriteUpgradeResponse(response, result);
        response.Write(new byte[] { 0x89, 0x00 }); // FIN + ping, unmasked, empty: a frame right behind the 101
        var responseBytes = new ReadOnlySequence<byte>(response.WrittenMemory);
        Assert.Equal(HttpParseStatus.Complete, HttpResponseHeadParser.TryParse(ref responseBytes, new HttpLimits(), out HttpResponseHead? answer, out _));
        Assert.Equal(new byte[] { 0x89, 0x00 }, responseBytes.ToArray());

        Assert.True(WebSocketHandshake.ValidateServerResponse(answer!, key, ["chat.v1", "chat.v2"], null, out string? error), error);
        Assert.Equal("chat.v2", answer!.Headers["Sec-WebSocket-Protocol"]);
        Assert.False(WebSocketHandshake.ValidateServerResponse(answer, key, out _)); // a subprotocol nobody offered in this call
    }

    [Fact]
    public void WriteClientRequest_Minimal_ExactBytes()
    {
        var output = new ArrayBufferWriter<byte>();
        WebSocketHandshake.WriteClientRequest(output, "server.example.com", "/chat", "dGhlIHNhbXBsZSBub25jZQ==");
        Assert.Equal(
            "GET /chat HTTP/1.1\r\nHost: server.example.com\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
            "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n",
            Encoding.ASCII.GetString(output.WrittenSpan));
    }

    [Theory]
    [InlineData("chat")]
    [InlineData("/chat room")]
    [InlineData("/chat\r\nX: y")]
    public void WriteClientRequest_BadPath_Throws(string path)
    {
        Assert.Throws<ArgumentException>(() => WebSocketHandshake.WriteClientRequest(new ArrayBufferWriter<byte>(), "h", path, "k"));
    }

    [Fact]
    public void WriteClientRequest_InjectedHeader_Throws()
    {
        Assert.Throws<ArgumentException>(() => WebSocketHandshake.WriteClientRequest(new ArrayBufferWriter<byte>(), "h\r\nX: y", "/", "k"));
        Assert.Throws<ArgumentException>(() => WebSocketHandshake.WriteClientRequest(new ArrayBufferWriter<byte>(), "h", "/", "k",
            [new("Origin", "a\nb")]));
    }

    [Fact]
    public void ValidateServerResponse_Correct101_True()
    {
        const string key = "dGhlIHNhbXBsZSBub25jZQ==";
        Assert.True(WebSocketHandshake.ValidateServerResponse(ParseResponse(Response101(key)), key, out string? error));
        Assert.Null(error);
    }

    [Theory]
    [InlineData("HTTP/1.1 200 OK\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n")]
    [InlineData("HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n")]
    [InlineData("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nSec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n")]
    [InlineData("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOO=\r\n\r\n")]
    [InlineData("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n")]
    [InlineData("HTTP/1.1 426 Upgrade Required\r\nSec-WebSocket-Version: 13\r\nContent-Length: 0\r\n\r\n")]
    public void ValidateServerResponse_WrongAnswer_FalseWithError(string response)
    {
        Assert.False(WebSocketHandshake.ValidateServerResponse(ParseResponse(response), "dGhlIHNhbXBsZSBub25jZQ==", out string? error));
        Assert.False(string.IsNullOrEmpty(error));
    }

    [Fact]
    public void ValidateServerResponse_ExtensionNotOffered_False()
    {
        const string key = "dGhlIHNhbXBsZSBub25jZQ==";
        HttpResponseHead head = ParseResponse(Response101(key, "Sec-WebSocket-Extensions: permessage-deflate; server_no_context_takeover\r\n"));
        Assert.False(WebSocketHandshake.ValidateServerResponse(head, key, out _));
        Assert.False(WebSocketHandshake.ValidateServerResponse(head, key, null, ["x-other"], out _));
        Assert.True(WebSocketHandshake.ValidateServerResponse(head, key, null, ["permessage-deflate"], out string? error), error);
    }

    [Fact]
    public void ValidateServerResponse_SubprotocolNotRequested_False()
    {
        const string key = "dGhlIHNhbXBsZSBub25jZQ==";
        HttpResponseHead head = ParseResponse(Response101(key, "Sec-WebSocket-Protocol: chat\r\n"));
        Assert.False(WebSocketHandshake.ValidateServerResponse(head, key, ["mqtt"], null, out _));
        Assert.True(WebSocketHandshake.ValidateServerResponse(head, key, ["mqtt", "chat"], null, out _));
    }
}
