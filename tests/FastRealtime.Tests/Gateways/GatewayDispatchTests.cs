using System.Text.Json;
using FastRealtime.Chat.Gateways;
using FastRealtime.Tests.Infrastructure;
using FastRealtime.Transport.WebSockets;
using Microsoft.Extensions.DependencyInjection;

namespace FastRealtime.Tests.Gateways;

/// <summary>Requests, replies, acks and every failure path of the dispatcher, through real sockets.</summary>
public sealed class GatewayDispatchTests
{
    private static void AssertException(JsonElement message, string? pattern, string expectedMessagePart)
    {
        Assert.Equal("exception", message.GetProperty("event").GetString());
        var data = message.GetProperty("data");
        Assert.Equal("error", data.GetProperty("status").GetString());
        Assert.Contains(expectedMessagePart, data.GetProperty("message").GetString());
        var cause = data.GetProperty("cause");
        if (pattern is null) Assert.Equal(JsonValueKind.Null, cause.GetProperty("pattern").ValueKind);
        else Assert.Equal(pattern, cause.GetProperty("pattern").GetString());
        Assert.True(DateTime.TryParse(data.GetProperty("timestamp").GetString(), out _));
    }

    [Fact]
    public async Task Request_WithId_AckCarriesSameIdAndEventAndResult()
    {
        await using var server = GatewayTestServer.Start();
        await using var client = await server.ConnectAsync();
        await client.SendTextAsync("""{"event":"number","id":"req-1","data":21}""");
        Assert.Equal("""{"event":"number","id":"req-1","data":42}""", await client.ReceiveTextAsync());
    }

    [Fact]
    public async Task Request_WithoutId_PlainValueSentUnwrapped()
    {
        await using var server = GatewayTestServer.Start();
        await using var client = await server.ConnectAsync();
        await client.SendTextAsync("""{"data":21,"event":"number","extra":{"ignored":[1]}}""");
        Assert.Equal("42", await client.ReceiveTextAsync());
    }

    [Fact]
    public async Task WsResponseResult_SentAsItsOwnEvent_WithIdWhenAsked()
    {
        await using var server = GatewayTestServer.Start();
        await using var client = await server.ConnectAsync();
        await client.SendAsync("response", "r");
        Assert.Equal("""{"event":"answered","data":"r"}""", await client.ReceiveTextAsync());
        await client.SendTextAsync("""{"event":"response","id":5,"data":"s"}""");
        Assert.Equal("""{"event":"answered","id":5,"data":"s"}""", await client.ReceiveTextAsync());
    }

    [Fact]
    public async Task VoidHandler_WithId_AcksNull_WithoutId_SendsNothing()
    {
        await using var server = GatewayTestServer.Start();
        await using var client = await server.ConnectAsync();
        await client.SendAsync("nothing", null);
        await client.SendTextAsync("""{"event":"nothing","id":9}""");
        Assert.Equal("""{"event":"nothing","id":9,"data":null}""", await client.ReceiveTextAsync());
    }

    [Fact]
    public async Task AsyncHandler_FollowedBySyncOne_RepliesInReceiveOrder()
    {
        await using var server = GatewayTestServer.Start();
        await using var client = await server.ConnectAsync();
        for (int i = 0; i < 5; i++)
        {
            await client.SendAsync("slow", i * 2);
            await client.SendAsync("fast", i * 2 + 1);
        }
        for (int i = 0; i < 10; i++) Assert.Equal(i.ToString(), await client.ReceiveTextAsync());
    }

    [Fact]
    public async Task Validation_TooLongAndMissingAndNested_ExceptionNamesEachField()
    {
        await using var server = GatewayTestServer.Start();
        await using var client = await server.ConnectAsync();

        await client.SendAsync("validate", new { roomId = "r", text = new string('x', 2001) });
        var tooLong = await client.ReceiveAsync();
        AssertException(tooLong, "validate", "text");
        Assert.Contains("2000", tooLong.GetProperty("data").GetProperty("message").GetString());
        Assert.Equal(2001, tooLong.GetProperty("data").GetProperty("cause").GetProperty("data").GetProperty("text").GetString()!.Length);

        await client.SendAsync("validate", new { text = "hi" });
        AssertException(await client.ReceiveAsync(), "validate", "roomId");

        await client.SendAsync("validate", new { roomId = "r", text = "hi", meta = new { tag = "NOT LOWER" } });
        AssertException(await client.ReceiveAsync(), "validate", "meta.tag");

        await client.SendAsync("validate", null);
        AssertException(await client.ReceiveAsync(), "validate", "required");

        await client.SendAsync("validate", new { roomId = 5, text = "hi" });
        AssertException(await client.ReceiveAsync(), "validate", "roomId");

        // The connection stays open and valid requests still work.
        Assert.Equal("ok:hi", (await client.RequestAsync("validate", new { roomId = "r", text = "hi" })).GetString());
    }

    [Fact]
    public async Task HandlerThrows_InternalErrorWithoutDetails_ConnectionStaysOpen()
    {
        await using var server = GatewayTestServer.Start();
        await using var client = await server.ConnectAsync();

        await client.SendAsync("throw", 1);
        var sync = await client.ReceiveAsync();
        AssertException(sync, "throw", "Internal server error");
        Assert.DoesNotContain("secret", sync.ToString());

        await client.SendTextAsync("""{"event":"throw-async","id":3}""");
        var async = await client.ReceiveAsync();
        AssertException(async, "throw-async", "Internal server error");
        Assert.Equal(3, async.GetProperty("id").GetInt32());
        Assert.DoesNotContain("secret", async.ToString());

        await client.AssertNothingPendingAsync();
    }

    [Fact]
    public async Task WsException_MessageGoesToClient()
    {
        await using var server = GatewayTestServer.Start();
        await using var client = await server.ConnectAsync();
        await client.SendAsync("user-error", null);
        AssertException(await client.ReceiveAsync(), "user-error", "You may not do that");
    }

    [Fact]
    public async Task MethodGuard_Refuses_ExceptionForbidden_HandlerNotRun()
    {
        await using var server = GatewayTestServer.Start();
        await using var client = await server.ConnectAsync();
        await client.SendAsync("guarded", null);
        AssertException(await client.ReceiveAsync(), "guarded", "Forbidden resource");
        Assert.Equal("ran", (await client.RequestAsync("guarded-async", null)).GetString());
    }

    [Fact]
    public async Task ConnectionGuard_Refuses_ExceptionThenClose1008()
    {
        await using var server = GatewayTestServer.Start();
        await using var banned = await server.ConnectAsync(user: "banned");
        AssertException(await banned.ReceiveAsync(), null, "Banned user");
        Assert.Equal(WebSocketCloseCodes.PolicyViolation, await banned.Raw.ReceiveCloseAsync());

        await using var refused = await server.ConnectAsync(user: "refused");
        AssertException(await refused.ReceiveAsync(), null, "Forbidden resource");
        Assert.Equal(WebSocketCloseCodes.PolicyViolation, await refused.Raw.ReceiveCloseAsync());

        Assert.Equal(0, server.Gateway.Connects); // the connection hook never ran for refused clients
    }

    [Fact]
    public async Task UnknownEvent_AnswersException_OrNothingWhenIgnored()
    {
        await using (var server = GatewayTestServer.Start())
        await using (var client = await server.ConnectAsync())
        {
            await client.SendAsync("no-such-event", new { a = 1 });
            var reply = await client.ReceiveAsync();
            AssertException(reply, "no-such-event", "no-such-event");
            Assert.Equal(1, reply.GetProperty("data").GetProperty("cause").GetProperty("data").GetProperty("a").GetInt32());
        }
        await using (var server = GatewayTestServer.Start(o => o.IgnoreUnknownEvents = true))
        await using (var client = await server.ConnectAsync())
        {
            await client.SendAsync("no-such-event", 1);
            await client.AssertNothingPendingAsync();
        }
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("""{"event":"number","data":1} trailing""")]
    [InlineData("[1,2]")]
    [InlineData("""{"data":1}""")]
    [InlineData("""{"event":7}""")]
    [InlineData("""{"event":"number","id":{},"data":1}""")]
    public async Task BadEnvelope_AnswersException_ConnectionStaysOpen(string text)
    {
        await using var server = GatewayTestServer.Start();
        await using var client = await server.ConnectAsync();
        await client.SendTextAsync(text);
        AssertException(await client.ReceiveAsync(), null, "");
        await client.AssertNothingPendingAsync();
    }

    [Fact]
    public async Task BinaryFrame_AnswersNotSupported()
    {
        await using var server = GatewayTestServer.Start();
        await using var client = await server.ConnectAsync();
        await client.Raw.SendFrameAsync(WebSocketOpcode.Binary, [1, 2, 3]);
        AssertException(await client.ReceiveAsync(), null, "Binary frames are not supported yet");
        await client.AssertNothingPendingAsync();
    }

    [Fact]
    public async Task RateLimit_Exceeded_ExcessAnswersException()
    {
        await using var server = GatewayTestServer.Start(o =>
        {
            o.MaxMessagesPerSecond = 1;
            o.MessageBurst = 3;
        });
        await using var client = await server.ConnectAsync();
        // Ten requests in one write: the bucket holds three, and refills one per second.
        var batch = new List<byte>();
        for (int i = 0; i < 10; i++)
            batch.AddRange(RawWebSocketClient.BuildFrame(WebSocketOpcode.Text, System.Text.Encoding.UTF8.GetBytes($$"""{"event":"fast","data":{{i}}}""")));
        await client.Raw.SendRawAsync([.. batch]);

        int answered = 0, limited = 0;
        for (int i = 0; i < 10; i++)
        {
            string text = await client.ReceiveTextAsync();
            if (text.Contains("rate limit", StringComparison.Ordinal)) limited++;
            else answered++;
        }
        Assert.InRange(answered, 3, 4);
        Assert.Equal(10 - answered, limited);
    }

    [Fact]
    public async Task RateLimit_NamespaceSetsZero_UnlimitedWhereTheGlobalLimitWouldRefuse()
    {
        await using var server = GatewayTestServer.Start(o =>
        {
            o.MaxMessagesPerSecond = 1;
            o.MessageBurst = 3;
        }, services: s => s.AddGateway<UnlimitedGateway>());
        await using var client = await server.ConnectAsync(path: "/unlimited");
        var batch = new List<byte>();
        for (int i = 0; i < 10; i++)
            batch.AddRange(RawWebSocketClient.BuildFrame(WebSocketOpcode.Text, System.Text.Encoding.UTF8.GetBytes($$"""{"event":"fast","data":{{i}}}""")));
        await client.Raw.SendRawAsync([.. batch]);

        for (int i = 0; i < 10; i++) Assert.DoesNotContain("rate limit", await client.ReceiveTextAsync(), StringComparison.Ordinal);
        Assert.Equal(0, server.Services.GetRequiredService<GatewayServer>().Of("/unlimited").MaxMessagesPerSecond);
        Assert.Equal(1, server.Namespace.MaxMessagesPerSecond);
    }

    [Fact]
    public async Task ClientDisconnect_FromHandler_ClosesAndRunsDisconnectHook()
    {
        await using var server = GatewayTestServer.Start();
        await using var client = await server.ConnectAsync();
        await client.SendAsync("disconnect-me", null);
        Assert.Equal(WebSocketCloseCodes.NormalClosure, await client.Raw.ReceiveCloseAsync());
        await client.Raw.SendCloseAsync(WebSocketCloseCodes.NormalClosure);
        await server.WaitForEmptyAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(1, server.Gateway.Disconnects);
    }
}

/// <summary>A namespace with its own message rate: 0, unlimited (as the /bench gateway).</summary>
[Gateway(Namespace = "unlimited", MaxMessagesPerSecond = 0)]
public sealed class UnlimitedGateway
{
    [SubscribeMessage("fast")]
    public int Fast(int n) => n;
}
