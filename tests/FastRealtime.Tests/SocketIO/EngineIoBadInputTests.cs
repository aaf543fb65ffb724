using System.Net;
using System.Text;
using System.Text.Json;
using FastRealtime.Tests.Infrastructure;
using FastRealtime.Transport.WebSockets;

namespace FastRealtime.Tests.SocketIO;

/// <summary>
/// Bad input through real HTTP and WebSocket: each gets the engine.io server's own answer, nothing crashes, and a
/// healthy session opened before is still served after.
/// </summary>
public sealed class EngineIoBadInputTests : IAsyncLifetime
{
    private const string AllowedOrigin = "http://allowed.example";
    private SocketIoTestServer _server = null!;
    private PollingTestClient _client = null!;
    private string _healthy = null!;

    public async Task InitializeAsync()
    {
        _server = SocketIoTestServer.Start(o =>
        {
            o.MaxPayload = 10_000;
            o.MaxBufferedPackets = 50;
            o.CorsOrigins = [AllowedOrigin];
        });
        _client = new PollingTestClient(_server.BaseUrl);
        _healthy = await _client.OpenConnectedAsync();
    }

    public async Task DisposeAsync()
    {
        await _client.AssertHealthyAsync(_healthy); // every test: the other session is unaffected
        _client.Dispose();
        await _server.DisposeAsync();
    }

    private static string Query(string sid) => PollingTestClient.Query(sid);

    [Fact]
    public async Task Handshake_Get_OpenPacketWithOptionsAndUnguessableSid()
    {
        var (status, body) = await _client.GetAsync("EIO=4&transport=polling");
        Assert.Equal(HttpStatusCode.OK, status);
        var open = JsonDocument.Parse(body[1..]).RootElement;
        Assert.Equal('0', body[0]);
        string sid = open.GetProperty("sid").GetString()!;
        Assert.Matches("^[A-Za-z0-9_-]{20}$", sid);
        Assert.NotEqual(sid, await _client.HandshakeAsync());
        Assert.Equal("[\"websocket\"]", open.GetProperty("upgrades").GetRawText());
        Assert.Equal(25000, open.GetProperty("pingInterval").GetInt32());
        Assert.Equal(20000, open.GetProperty("pingTimeout").GetInt32());
        Assert.Equal(10_000, open.GetProperty("maxPayload").GetInt32());
    }

    [Fact]
    public async Task Poll_UnknownSid_Answers400Code1() =>
        PollingTestClient.AssertError(await _client.GetAsync(Query("not-a-session-id-xx")), 1, "Session ID unknown");

    [Fact]
    public async Task Request_UnknownTransport_Answers400Code0() =>
        PollingTestClient.AssertError(await _client.GetAsync("EIO=4&transport=carrier-pigeon"), 0, "Transport unknown");

    [Fact]
    public async Task Handshake_Post_Answers400Code2() =>
        PollingTestClient.AssertError(await _client.PostAsync("EIO=4&transport=polling", "40"), 2, "Bad handshake method");

    [Fact]
    public async Task Handshake_Eio3_Answers400Code5() =>
        PollingTestClient.AssertError(await _client.GetAsync("EIO=3&transport=polling"), 5, "Unsupported protocol version");

    [Fact]
    public async Task Post_MalformedEngineIoPayload_Answers400AndClosesSession()
    {
        string sid = await _client.HandshakeAsync();
        PollingTestClient.AssertError(await _client.PostAsync(Query(sid), "x-not-a-packet"), 3, "Bad request");
        await _client.AssertServerClosedAsync(sid);
    }

    [Theory]
    [InlineData("42[\"unterminated")]   // JSON cut short
    [InlineData("42{\"not\":\"array\"}")] // EVENT payload must be an array
    [InlineData("49")]                  // no such Socket.IO packet type
    [InlineData("42/never-connected,[\"x\"]")] // a namespace the client never joined
    [InlineData("4b1-[\"x\"]")]         // attachment count not a number
    public async Task Post_MalformedSocketIoPacket_ClosesSession(string payload)
    {
        string sid = await _client.OpenConnectedAsync();
        Assert.Equal("ok", (await _client.PostAsync(Query(sid), payload)).Body);
        await _client.AssertServerClosedAsync(sid);
    }

    [Fact]
    public async Task Post_OverMaxPayload_Answers413AndClosesSession()
    {
        string sid = await _client.OpenConnectedAsync();
        var (status, _) = await _client.PostAsync(Query(sid), "42[\"identity\",\"" + new string('a', 12_000) + "\"]");
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, status);
        await _client.AssertServerClosedAsync(sid);
    }

    [Fact]
    public async Task Poll_TooManyBufferedPackets_ClosesSession()
    {
        string sid = await _client.OpenConnectedAsync("/test");
        Assert.Equal("ok", (await _client.PostAsync(Query(sid), "42/test,[\"burst\",200]")).Body);
        // The overflow closes the session: polls may still drain what was queued before, then the sid is gone.
        (HttpStatusCode Status, string Body) response = default;
        int delivered = 0;
        for (int i = 0; i < 6; i++)
        {
            response = await _client.GetAsync(Query(sid));
            if (response.Status != HttpStatusCode.OK) break;
            delivered += response.Body.Split('\x1e').Count(p => p.StartsWith("42/test,[\"seq\"", StringComparison.Ordinal));
        }
        PollingTestClient.AssertError(response, 1, "Session ID unknown");
        Assert.True(delivered <= 50, $"delivered {delivered}");
    }

    [Fact]
    public async Task Poll_SecondConcurrentGet_Answers400AndClosesSession()
    {
        string sid = await _client.HandshakeAsync();
        var first = _client.GetAsync(Query(sid)); // held: nothing to send yet
        await Task.Delay(200);
        PollingTestClient.AssertError(await _client.GetAsync(Query(sid)), 3, "Bad request");
        var (status, body) = await first;
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("1", body); // the held poll learns of the close
        PollingTestClient.AssertError(await _client.GetAsync(Query(sid)), 1, "Session ID unknown");
    }

    [Fact]
    public async Task Poll_AfterClientClosedSession_Answers400Code1()
    {
        string sid = await _client.OpenConnectedAsync();
        Assert.Equal("ok", (await _client.PostAsync(Query(sid), "1")).Body);
        PollingTestClient.AssertError(await _client.GetAsync(Query(sid)), 1, "Session ID unknown");
        PollingTestClient.AssertError(await _client.PostAsync(Query(sid), "40"), 1, "Session ID unknown");
    }

    [Fact]
    public async Task Post_BinaryEventWithAck_AttachmentComesBackBase64()
    {
        string sid = await _client.OpenConnectedAsync("/test");
        // BINARY_EVENT with one attachment and ack id 5; the attachment travels as "b" + base64 (bytes 1, 2, 3).
        string post = "451-/test,5[\"identity\",{\"_placeholder\":true,\"num\":0}]\u001ebAQID";
        Assert.Equal("ok", (await _client.PostAsync(Query(sid), post)).Body);
        var (_, body) = await _client.GetAsync(Query(sid));
        Assert.Equal("461-/test,5[{\"_placeholder\":true,\"num\":0}]\u001ebAQID", body);
    }

    [Fact]
    public async Task Upgrade_WrongSid_Refused400()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            RawWebSocketClient.ConnectAsync(_server.Server.EndPoint, "/socket.io/?EIO=4&transport=websocket&sid=bogus-session-id-xx"));
        Assert.Contains("400", error.Message);
    }

    [Fact]
    public async Task Upgrade_ProbeThenUpgrade_PollEndsWithNoopAndPacketsMoveToWebSocket()
    {
        string sid = await _client.OpenConnectedAsync("/test");
        var held = _client.GetAsync(Query(sid));
        await using var ws = await RawWebSocketClient.ConnectAsync(_server.Server.EndPoint, $"/socket.io/?EIO=4&transport=websocket&sid={sid}");
        await ws.SendTextAsync("2probe");
        Assert.Equal("3probe", (await ws.ReceiveAsync(TimeSpan.FromSeconds(5))).Text);
        Assert.Equal("6", (await held).Body); // the pending poll is ended with a noop
        await ws.SendTextAsync("5");
        await ws.SendTextAsync("42/test,3[\"identity\",\"over ws\"]");
        Assert.Equal("43/test,3[\"over ws\"]", (await ws.ReceiveAsync(TimeSpan.FromSeconds(5))).Text);
        PollingTestClient.AssertError(await _client.GetAsync(Query(sid)), 3, "Bad request"); // polling is over for this sid
    }

    [Theory]
    [InlineData("9nonsense")]
    [InlineData("")]
    [InlineData("42[\"unterminated")]
    public async Task WebSocket_MalformedPacket_ClosesConnection(string text)
    {
        await using var ws = await RawWebSocketClient.ConnectAsync(_server.Server.EndPoint, "/socket.io/?EIO=4&transport=websocket");
        Assert.StartsWith("0{\"sid\":", (await ws.ReceiveAsync(TimeSpan.FromSeconds(5))).Text);
        await ws.SendTextAsync("40");
        Assert.StartsWith("40{\"sid\":", (await ws.ReceiveAsync(TimeSpan.FromSeconds(5))).Text);
        await ws.SendTextAsync(text);
        Assert.Equal(WebSocketCloseCodes.NormalClosure, await ws.ReceiveCloseAsync(TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task WebSocket_MessageOverMaxPayload_Closes1009()
    {
        await using var ws = await RawWebSocketClient.ConnectAsync(_server.Server.EndPoint, "/socket.io/?EIO=4&transport=websocket");
        await ws.ReceiveAsync(TimeSpan.FromSeconds(5));
        await ws.SendTextAsync("4" + new string('a', 12_000));
        Assert.Equal(WebSocketCloseCodes.MessageTooBig, await ws.ReceiveCloseAsync(TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task Cors_AllowedOrigin_EchoedWithCredentials()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, _client.Url("EIO=4&transport=polling"));
        request.Headers.Add("Origin", AllowedOrigin);
        using var response = await _client.SendAsync(request);
        Assert.Equal(AllowedOrigin, Assert.Single(response.Headers.GetValues("Access-Control-Allow-Origin")));
        Assert.Equal("true", Assert.Single(response.Headers.GetValues("Access-Control-Allow-Credentials")));
    }

    [Fact]
    public async Task Cors_OtherOrigin_NoAllowOriginHeader()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, _client.Url("EIO=4&transport=polling"));
        request.Headers.Add("Origin", "http://evil.example");
        using var response = await _client.SendAsync(request);
        Assert.False(response.Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task Cors_Preflight_Answers204WithMethodsAndHeaders()
    {
        using var request = new HttpRequestMessage(HttpMethod.Options, _client.Url("EIO=4&transport=polling"));
        request.Headers.Add("Origin", AllowedOrigin);
        request.Headers.Add("Access-Control-Request-Headers", "content-type");
        using var response = await _client.SendAsync(request);
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Contains("POST", Assert.Single(response.Headers.GetValues("Access-Control-Allow-Methods")));
        Assert.Equal("content-type", Assert.Single(response.Headers.GetValues("Access-Control-Allow-Headers")));
    }
}
