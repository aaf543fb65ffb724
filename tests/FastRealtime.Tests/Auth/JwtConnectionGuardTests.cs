using System.Diagnostics.Metrics;
using System.Text.Json;
using FastRealtime.Chat.Auth;
using FastRealtime.Tests.Gateways;
using FastRealtime.Tests.Infrastructure;
using FastRealtime.Tests.SocketIO;

namespace FastRealtime.Tests.Auth;

/// <summary>
/// The guarded namespace over the wire: the real npm socket.io-client (tests/interop/socketio/auth.mjs) with the token
/// in auth, header or query, and plain WebSocket, where a bad token is refused with 401 before the upgrade.
/// </summary>
public sealed class JwtConnectionGuardTests : IAsyncLifetime
{
    private AuthTestServer _server = null!;

    public Task InitializeAsync()
    {
        _server = AuthTestServer.Start(TestTokens.Settings());
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Theory]
    [InlineData("auth", "upgrade")]
    [InlineData("auth", "websocket")]
    [InlineData("header", "polling")]
    [InlineData("header", "websocket")]
    [InlineData("query", "upgrade")]
    public async Task SocketIo_ValidToken_ConnectsAsTheTokensUser(string how, string transport)
    {
        var outcome = await ConnectSocketIoAsync(how, TestTokens.Sign(subject: "u-alice", name: "Alice"), transport);
        Assert.True(outcome.GetProperty("connected").GetBoolean(), outcome.ToString());
        Assert.Equal("u-alice", outcome.GetProperty("whoami").GetProperty("userId").GetString());
        Assert.Equal("Alice", outcome.GetProperty("whoami").GetProperty("name").GetString());
    }

    [Fact]
    public async Task SocketIo_NoToken_ConnectErrorTokenMissing() =>
        await AssertSocketIoRefusedAsync("none", "", JwtErrors.Missing);

    [Fact]
    public async Task SocketIo_ExpiredToken_ConnectErrorTokenExpired() =>
        await AssertSocketIoRefusedAsync("auth", TestTokens.Sign(expiresIn: TimeSpan.FromMinutes(-5), notBeforeIn: TimeSpan.FromHours(-1)), JwtErrors.Expired);

    [Fact]
    public async Task SocketIo_WrongSecret_ConnectErrorInvalidSignature() =>
        await AssertSocketIoRefusedAsync("auth", TestTokens.Sign(secret: "another-secret-of-at-least-thirty-two-bytes"), JwtErrors.BadSignature);

    [Fact]
    public async Task SocketIo_GarbageInHeader_ConnectErrorMalformed() =>
        await AssertSocketIoRefusedAsync("header", "garbage", JwtErrors.Malformed);

    [Fact]
    public async Task WebSocket_QueryToken_UpgradesAndAuthenticates()
    {
        await using var client = await JsonWsClient.ConnectAsync(_server.Server.EndPoint, "/secure?token=" + TestTokens.Sign(subject: "u-bob", name: "Bob"));
        var me = await client.RequestAsync("whoami", null);
        Assert.Equal("u-bob", me.GetProperty("userId").GetString());
        Assert.Equal("Bob", me.GetProperty("name").GetString());
    }

    [Fact]
    public async Task WebSocket_BearerHeader_UpgradesAndAuthenticates()
    {
        var headers = new[] { KeyValuePair.Create("Authorization", "Bearer " + TestTokens.Sign(subject: "u-carol")) };
        await using var raw = await RawWebSocketClient.ConnectAsync(_server.Server.EndPoint, "/secure", headers);
        await raw.SendTextAsync("""{"event":"whoami","id":1}""");
        var reply = await raw.ReceiveAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(ReceivedEventType.Message, reply.Type);
        Assert.Equal("u-carol", JsonDocument.Parse(reply.Payload).RootElement.GetProperty("data").GetProperty("userId").GetString());
    }

    [Fact]
    public async Task WebSocket_ConcurrentConnects_EachTokenValidatedOnce_AndEachClientIsItsOwnUser()
    {
        long valid = 0, invalid = 0;
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (ReferenceEquals(instrument.Meter, _server.Tokens.Meter)) l.EnableMeasurementEvents(instrument);
            },
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key != "result") continue;
                if ((string?)tag.Value == "valid") Interlocked.Add(ref valid, value);
                else Interlocked.Add(ref invalid, value);
            }
        });
        listener.Start();

        var clients = await Task.WhenAll(Enumerable.Range(0, 6).Select(i =>
            JsonWsClient.ConnectAsync(_server.Server.EndPoint, "/secure?token=" + TestTokens.Sign(subject: $"u-{i}"))));
        var refused = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ =>
            RawHttp.SendAsync(_server.Server.EndPoint, RawHttp.Request("GET /secure?token=garbage HTTP/1.1", RawHttp.UpgradeHeaders(_server.Server.EndPoint)))));
        var users = await Task.WhenAll(clients.Select(async c => (await c.RequestAsync("whoami", null)).GetProperty("userId").GetString()));
        foreach (var client in clients) await client.DisposeAsync();

        Assert.Equal(Enumerable.Range(0, 6).Select(i => $"u-{i}"), users);
        Assert.All(refused, r => Assert.Equal(401, r.StatusCode));
        Assert.Equal(6, Interlocked.Read(ref valid));
        Assert.Equal(2, Interlocked.Read(ref invalid));
    }

    public static TheoryData<string, string> RefusedUpgrades() => new()
    {
        { "/secure", JwtErrors.Missing },
        { "/secure?token=garbage", JwtErrors.Malformed },
        { "/secure?token=" + TestTokens.Sign(expiresIn: TimeSpan.FromMinutes(-5), notBeforeIn: TimeSpan.FromHours(-1)), JwtErrors.Expired },
        { "/secure?token=" + TestTokens.Sign(secret: "another-secret-of-at-least-thirty-two-bytes"), JwtErrors.BadSignature },
        { "/secure?token=" + TestTokens.Sign(subject: null), JwtErrors.NoSubject },
    };

    [Theory]
    [MemberData(nameof(RefusedUpgrades))]
    public async Task WebSocket_BadOrMissingToken_401WithReasonBeforeTheUpgrade(string target, string reason)
    {
        var response = await RawHttp.SendAsync(_server.Server.EndPoint, RawHttp.Request($"GET {target} HTTP/1.1", RawHttp.UpgradeHeaders(_server.Server.EndPoint)));

        Assert.Equal(401, response.StatusCode);
        Assert.StartsWith("application/json", response.Head.Headers["Content-Type"]);
        Assert.Equal("Bearer", response.Head.Headers["WWW-Authenticate"]);
        Assert.Equal(reason, JsonDocument.Parse(response.Body).RootElement.GetProperty("message").GetString());
        Assert.Equal(0, _server.Gateway.Connects);
    }

    [Fact]
    public async Task WebSocket_BearerHeaderWithBadToken_401()
    {
        string[] headers = [.. RawHttp.UpgradeHeaders(_server.Server.EndPoint), "Authorization: Bearer " + TestTokens.Unsigned()];
        var response = await RawHttp.SendAsync(_server.Server.EndPoint, RawHttp.Request("GET /secure HTTP/1.1", headers));
        Assert.Equal(401, response.StatusCode);
        Assert.Equal(JwtErrors.BadSignature, JsonDocument.Parse(response.Body).RootElement.GetProperty("message").GetString());
    }

    [Fact]
    public async Task WebSocket_ValidToken_101()
    {
        string target = "/secure?token=" + TestTokens.Sign();
        var response = await RawHttp.SendAsync(_server.Server.EndPoint, RawHttp.Request($"GET {target} HTTP/1.1", RawHttp.UpgradeHeaders(_server.Server.EndPoint)));
        Assert.Equal(101, response.StatusCode);
    }

    private async Task AssertSocketIoRefusedAsync(string how, string token, string reason)
    {
        var outcome = await ConnectSocketIoAsync(how, token, "upgrade");
        Assert.False(outcome.GetProperty("connected").GetBoolean(), outcome.ToString());
        Assert.Equal(reason, outcome.GetProperty("message").GetString());
        Assert.Equal(0, _server.Gateway.Connects);
    }

    private async Task<JsonElement> ConnectSocketIoAsync(string how, string token, string transport)
    {
        var (exitCode, output) = await SocketIoNodeRunner.RunAsync("auth.mjs", _server.BaseUrl, "/secure", how, token, transport);
        Assert.True(exitCode == 0, output);
        return JsonDocument.Parse(output.Trim().Split('\n')[^1]).RootElement.Clone();
    }
}
