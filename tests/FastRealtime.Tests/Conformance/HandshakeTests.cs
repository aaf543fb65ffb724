using FastRealtime.Tests.Infrastructure;
using FastRealtime.Transport.WebSockets;

namespace FastRealtime.Tests.Conformance;

/// <summary>
/// The opening handshake (RFC 6455 §4.2) through real sockets, with hand-written request heads: bad inputs are
/// refused with the right status and never upgraded; token lists and header case are accepted as §4.2.1 allows.
/// </summary>
public sealed class HandshakeTests
{
    private const string Key = "dGhlIHNhbXBsZSBub25jZQ==";

    [Fact]
    public async Task Upgrade_ValidRequest_Returns101WithAcceptKey()
    {
        await using var server = TestServer.Start();
        var response = await UpgradeAsync(server, RawHttp.UpgradeHeaders(server.EndPoint));
        AssertSwitched(response);
    }

    [Fact]
    public async Task Upgrade_MissingKey_Returns400()
    {
        await using var server = TestServer.Start();
        var headers = RawHttp.UpgradeHeaders(server.EndPoint).Where(h => !h.StartsWith("Sec-WebSocket-Key")).ToArray();
        await AssertRefusedAsync(server, headers, 400);
    }

    [Theory]
    [InlineData("not base64 at all!!!!!!!")]
    [InlineData("AAAAAAAAAAAAAAAAAAAA")]        // base64 of 15 bytes
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAA=")] // base64 of 20 bytes
    [InlineData("")]
    public async Task Upgrade_KeyNotBase64Of16Bytes_Returns400(string key)
    {
        await using var server = TestServer.Start();
        await AssertRefusedAsync(server, RawHttp.UpgradeHeaders(server.EndPoint, key), 400);
    }

    [Theory]
    [InlineData("12")]
    [InlineData("8")]
    [InlineData("14")]
    public async Task Upgrade_UnsupportedVersion_Returns426WithVersion13(string version)
    {
        await using var server = TestServer.Start();
        var headers = Replace(RawHttp.UpgradeHeaders(server.EndPoint), "Sec-WebSocket-Version", version);
        var response = await AssertRefusedAsync(server, headers, 426);
        Assert.Equal("13", response.Head.Headers["Sec-WebSocket-Version"]); // §4.4
    }

    [Theory]
    [InlineData("Upgrade: WebSocket", "Connection: Upgrade")]
    [InlineData("Upgrade: websocket", "Connection: keep-alive, Upgrade")]
    [InlineData("Upgrade: websocket", "Connection: upgrade,keep-alive")]
    [InlineData("upgrade: WEBSOCKET", "CONNECTION: UPGRADE")]
    [InlineData("Upgrade: websocket, h2c", "Connection: Keep-Alive ,  UpGrAdE")]
    public async Task Upgrade_TokensInListsAndAnyCase_Returns101(string upgrade, string connection)
    {
        await using var server = TestServer.Start();
        var headers = RawHttp.UpgradeHeaders(server.EndPoint);
        headers[1] = upgrade;
        headers[2] = connection;
        AssertSwitched(await UpgradeAsync(server, headers));
    }

    [Fact]
    public async Task Upgrade_ConnectionWithoutUpgradeToken_Returns400()
    {
        await using var server = TestServer.Start();
        var headers = Replace(RawHttp.UpgradeHeaders(server.EndPoint), "Connection", "keep-alive");
        await AssertRefusedAsync(server, headers, 400);
    }

    [Fact]
    public async Task Upgrade_OriginOutsideAllowList_Returns403()
    {
        await using var server = TestServer.Start(s => s.AllowedOrigins = ["https://good.example"]);
        string[] headers = [.. RawHttp.UpgradeHeaders(server.EndPoint), "Origin: https://evil.example"];
        await AssertRefusedAsync(server, headers, 403);
    }

    [Fact]
    public async Task Upgrade_OriginInAllowList_Returns101()
    {
        await using var server = TestServer.Start(s => s.AllowedOrigins = ["https://good.example"]);
        string[] headers = [.. RawHttp.UpgradeHeaders(server.EndPoint), "Origin: https://good.example"];
        AssertSwitched(await UpgradeAsync(server, headers));
    }

    [Fact]
    public async Task Upgrade_UnknownPath_Returns404()
    {
        await using var server = TestServer.Start();
        var response = await RawHttp.SendAsync(server.EndPoint, RawHttp.Request("GET /nowhere HTTP/1.1", RawHttp.UpgradeHeaders(server.EndPoint)));
        Assert.Equal(404, response.StatusCode);
        await ServerProbe.AssertEchoesAsync(server);
    }

    [Fact]
    public async Task Upgrade_PostMethod_Returns400Or405()
    {
        await using var server = TestServer.Start();
        var response = await RawHttp.SendAsync(server.EndPoint, RawHttp.Request("POST /echo HTTP/1.1", RawHttp.UpgradeHeaders(server.EndPoint)));
        Assert.Contains(response.StatusCode, new[] { 400, 405 });
    }

    [Fact]
    public async Task Upgrade_Http10_Returns400()
    {
        await using var server = TestServer.Start();
        var response = await RawHttp.SendAsync(server.EndPoint, RawHttp.Request("GET /echo HTTP/1.0", RawHttp.UpgradeHeaders(server.EndPoint)));
        Assert.Equal(400, response.StatusCode);
    }

    [Fact]
    public async Task Upgrade_MissingHost_Returns400()
    {
        await using var server = TestServer.Start();
        var headers = RawHttp.UpgradeHeaders(server.EndPoint).Where(h => !h.StartsWith("Host")).ToArray();
        await AssertRefusedAsync(server, headers, 400);
    }

    private static Task<RawHttpResponse> UpgradeAsync(TestServer server, string[] headers) =>
        RawHttp.SendAsync(server.EndPoint, RawHttp.Request("GET /echo HTTP/1.1", headers));

    private static void AssertSwitched(RawHttpResponse response)
    {
        Assert.Equal(101, response.StatusCode);
        Assert.Equal(WebSocketHandshake.ComputeAcceptKey(Key), response.Head.Headers["Sec-WebSocket-Accept"]); // §4.2.2 5.4
    }

    private static async Task<RawHttpResponse> AssertRefusedAsync(TestServer server, string[] headers, int status)
    {
        var response = await UpgradeAsync(server, headers);
        Assert.Equal(status, response.StatusCode);
        Assert.Null(response.Head.Headers["Sec-WebSocket-Accept"]);
        await ServerProbe.AssertEchoesAsync(server);
        return response;
    }

    private static string[] Replace(string[] headers, string name, string value) =>
        headers.Select(h => h.StartsWith(name + ":", StringComparison.OrdinalIgnoreCase) ? $"{name}: {value}" : h).ToArray();
}
