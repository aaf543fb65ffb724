using System.Net;
using System.Text.Json;
using FastRealtime.Chat.Demo;
using FastRealtime.Tests.Infrastructure;
using FastRealtime.Tests.SocketIO;

namespace FastRealtime.Tests.Gateways;

/// <summary>
/// One gateway, two wire protocols: <see cref="TestGateway"/> ("/test") served to plain-WebSocket JSON clients and to
/// Socket.IO clients at once — the real npm socket.io-client and npm ws (tests/interop/socketio/gateway.mjs), and raw
/// long-polling requests where the exact packets matter.
/// </summary>
public sealed class SocketIoGatewayTests : IAsyncLifetime
{
    private const char RecordSeparator = '\x1e';
    private GatewayTestServer _server = null!;
    private PollingTestClient _polling = null!;

    public Task InitializeAsync()
    {
        _server = GatewayTestServer.Start();
        _polling = new PollingTestClient(_server.BaseUrl);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        _polling.Dispose();
        await _server.DisposeAsync();
    }

    [Theory]
    [InlineData("upgrade")]
    [InlineData("polling")]
    [InlineData("websocket")]
    public async Task CrossProtocol_SocketIoAndPlainWebSocketInOneRoom_AcksAndBroadcastsReachBoth(string transport)
    {
        await RunScenarioAsync("crossProtocol", transport);
        await _server.WaitForEmptyAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(0, _server.Namespace.ClientCount);
        Assert.Equal(0, _server.Namespace.Rooms.RoomCount);
        Assert.Equal(0, _server.Namespace.Users.UserCount);
        Assert.Equal(3, _server.Gateway.Connects); // alice on plain WebSocket, bob and alice on Socket.IO
        Assert.Equal(_server.Gateway.Connects, _server.Gateway.Disconnects);
    }

    [Theory]
    [InlineData("acks", "upgrade")]
    [InlineData("binary", "polling")]
    [InlineData("binary", "websocket")]
    [InlineData("exceptions", "upgrade")]
    [InlineData("serverDisconnect", "websocket")]
    public async Task Scenario_RealSocketIoClient_Passes(string scenario, string transport) => await RunScenarioAsync(scenario, transport);

    [Fact]
    public async Task GuardRefusal_SocketIoConnect_ConnectErrorAndNoLifecycleHook()
    {
        await RunScenarioAsync("guardRefusal", "upgrade");
        await _server.WaitForEmptyAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(1, _server.Gateway.Connects); // only the accepted client reached HandleConnection
        Assert.Equal(1, _server.Gateway.Disconnects);
    }

    [Fact]
    public async Task Connect_AuthPayload_AnswersSidAndAuthenticatesTheClient()
    {
        string sid = await _polling.HandshakeAsync();
        await PostAsync(sid, """40/test,{"user":"carol"}""");
        string connected = await PollAsync(sid);
        Assert.StartsWith("""40/test,{"sid":""", connected);
        string socketId = JsonDocument.Parse(connected["40/test,".Length..]).RootElement.GetProperty("sid").GetString()!;
        Assert.Matches("^[A-Za-z0-9_-]{20}$", socketId);

        await PostAsync(sid, """42/test,7["whoami"]""");
        Assert.Equal($$"""43/test,7[{"id":"{{socketId}}","userId":"carol"}]""", await PollAsync(sid));
        Assert.True(_server.Namespace.IsOnline("carol"));
    }

    [Fact]
    public async Task Connect_GuardThrows_ConnectErrorWithItsMessageAndTheSessionMayRetry()
    {
        string sid = await _polling.HandshakeAsync();
        await PostAsync(sid, """40/test,{"user":"banned"}""");
        Assert.Equal("""44/test,{"message":"Banned user"}""", await PollAsync(sid));
        await PostAsync(sid, """40/test,{"user":"refused"}""");
        Assert.Equal("""44/test,{"message":"Forbidden resource"}""", await PollAsync(sid));

        await PostAsync(sid, """40/test,{"user":"dave"}""");
        Assert.StartsWith("""40/test,{"sid":""", await PollAsync(sid));
        Assert.Equal(1, _server.Gateway.Connects);
    }

    [Fact]
    public async Task Event_ReturnValueWithAckId_AckPacket()
    {
        string sid = await OpenTestNamespaceAsync();
        await PostAsync(sid, """42/test,12["number",21]""");
        Assert.Equal("43/test,12[42]", await PollAsync(sid));
        await PostAsync(sid, """42/test,13["nothing"]""");
        Assert.Equal("43/test,13[null]", await PollAsync(sid));
    }

    [Fact]
    public async Task Event_SeveralArguments_HandlerGetsThemAsOneArray()
    {
        // NestJS IoAdapter.mapPayload: emit('echo', a, b) hands the handler [a, b]; one argument stays itself.
        string sid = await OpenTestNamespaceAsync();
        await PostAsync(sid, """42/test,6["echo","room-0",{"text":"hi"},[1,2]]""");
        Assert.Equal("""43/test,6[["room-0",{"text":"hi"},[1,2]]]""", await PollAsync(sid));
        await PostAsync(sid, """42/test,7["echo",{"text":"hi"}]""");
        Assert.Equal("""43/test,7[{"text":"hi"}]""", await PollAsync(sid));
    }

    [Fact]
    public async Task Event_ByteArrayReturnValue_BinaryAckWithOneAttachment()
    {
        string sid = await OpenTestNamespaceAsync();
        await PostAsync(sid, """42/test,5["bytes",3]""");
        // Engine.IO message 4 holding BINARY_ACK 6 with 1 attachment, then the attachment as "b" + base64 (polling form).
        Assert.Equal("""461-/test,5[{"_placeholder":true,"num":0}]""" + RecordSeparator + "bAAEC", await PollAsync(sid));
    }

    [Fact]
    public async Task Event_BinaryArgumentEchoed_BinaryAckCarriesTheRequestsAttachment()
    {
        string sid = await OpenTestNamespaceAsync();
        await PostAsync(sid, """451-/test,9["echo",{"_placeholder":true,"num":0}]""" + RecordSeparator + "bAQID");
        Assert.Equal("""461-/test,9[{"_placeholder":true,"num":0}]""" + RecordSeparator + "bAQID", await PollAsync(sid));
    }

    [Fact]
    public async Task Event_ValidationFails_ExceptionEventInNestJsShapeAndNoAck()
    {
        string sid = await OpenTestNamespaceAsync();
        await PostAsync(sid, """42/test,4["validate",{"roomId":"general","text":""}]""");
        string packet = await PollAsync(sid);
        Assert.StartsWith("""42/test,["exception",""", packet);
        var error = JsonDocument.Parse(packet["42/test,".Length..]).RootElement[1];
        Assert.Equal("error", error.GetProperty("status").GetString());
        Assert.Contains("text", error.GetProperty("message").GetString());
        Assert.Equal("validate", error.GetProperty("cause").GetProperty("pattern").GetString());
        Assert.Equal("""{"roomId":"general","text":""}""", error.GetProperty("cause").GetProperty("data").GetRawText());
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", error.GetProperty("timestamp").GetString());

        await PostAsync(sid, """42/test,5["probe"]""");
        Assert.Equal("""43/test,5["probe"]""", await PollAsync(sid)); // still connected; the failed request got no ack
    }

    [Fact]
    public async Task Broadcast_RoomWithBothProtocols_EachGetsItsOwnEncoding()
    {
        string sid = await OpenTestNamespaceAsync();
        await PostAsync(sid, """42/test,1["join",{"room":"r"}]""");
        Assert.Equal("""43/test,1["Joined"]""", await PollAsync(sid));
        await using var ws = await _server.ConnectAsync("erin");
        Assert.Equal("Joined", (await ws.RequestAsync("join", new { room = "r" })).GetString());

        // plain WebSocket → room except the sender: the Socket.IO member gets an EVENT packet.
        Assert.Equal(1, (await ws.RequestAsync("to-room", new { room = "r", text = "from ws" })).GetInt32());
        Assert.Equal("""42/test,["msg","from ws"]""", await PollAsync(sid));

        // Socket.IO → room including the sender: the ack, the Socket.IO copy and the plain-WebSocket envelope.
        await PostAsync(sid, """42/test,2["to-room-all",{"room":"r","text":"to all"}]""");
        Assert.Equal("""{"event":"msg","data":"to all"}""", await ws.ReceiveTextAsync());
        Assert.Equal("""42/test,["msg","to all"]""" + RecordSeparator + "43/test,2[2]", await PollAsync(sid));
        await ws.AssertNothingPendingAsync();
    }

    [Fact]
    public async Task ClientNamespaceDisconnect_LeavesRoomsAndRunsTheDisconnectHook()
    {
        string sid = await OpenTestNamespaceAsync();
        await PostAsync(sid, """42/test,1["join",{"room":"r"}]""");
        Assert.Equal("""43/test,1["Joined"]""", await PollAsync(sid));
        Assert.Equal(1, _server.Namespace.Rooms.RoomCount);

        await PostAsync(sid, "41/test,");
        await _server.WaitForEmptyAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(0, _server.Namespace.ClientCount);
        Assert.Equal(0, _server.Namespace.Rooms.RoomCount);
        Assert.Equal(1, _server.Gateway.Disconnects);
    }

    private async Task<string> OpenTestNamespaceAsync()
    {
        string sid = await _polling.HandshakeAsync();
        await PostAsync(sid, "40/test,");
        Assert.StartsWith("""40/test,{"sid":""", await PollAsync(sid));
        return sid;
    }

    private async Task PostAsync(string sid, string body) =>
        Assert.Equal((HttpStatusCode.OK, "ok"), await _polling.PostAsync(PollingTestClient.Query(sid), body));

    private async Task<string> PollAsync(string sid)
    {
        var (status, body) = await _polling.GetAsync(PollingTestClient.Query(sid));
        Assert.Equal(HttpStatusCode.OK, status);
        return body;
    }

    private async Task RunScenarioAsync(string scenario, string transport)
    {
        var (exitCode, output) = await SocketIoNodeRunner.RunAsync("gateway.mjs", scenario, _server.BaseUrl, transport);
        Assert.True(exitCode == 0, output);
        Assert.Contains($"ok {scenario}", output);
    }
}

/// <summary>The per-client rate limit applies to Socket.IO clients of a gateway as to plain-WebSocket ones.</summary>
public sealed class SocketIoGatewayRateLimitTests
{
    [Fact]
    public async Task RateLimit_SocketIoClientFloods_ExceptionEvent()
    {
        await using var server = GatewayTestServer.Start(o =>
        {
            o.MaxMessagesPerSecond = 5;
            o.MessageBurst = 5;
        });
        var (exitCode, output) = await SocketIoNodeRunner.RunAsync("gateway.mjs", "rateLimit", server.BaseUrl, "websocket");
        Assert.True(exitCode == 0, output);
    }
}

/// <summary>The host as it ships: seed 001's <see cref="DemoGateway"/> is Socket.IO's main namespace "/".</summary>
public sealed class DemoGatewaySocketIoTests
{
    [Fact]
    public async Task Seed001Client_DefaultServer_DemoGatewayAnswersOnSocketIoAndItsHooksRun()
    {
        await using var server = TestServer.Start();
        var stats = ((DemoGateway)server.Server.Gateways!.Of("/").Gateways.Single()).Stats;
        var disconnected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        stats.Changed += (_, connected) => { if (!connected) disconnected.TrySetResult(); };

        var (exitCode, output) = await SocketIoNodeRunner.RunAsync("seed001.mjs", $"http://127.0.0.1:{server.Port}");
        Assert.True(exitCode == 0, output);
        Assert.Contains("ok seed001", output);

        await disconnected.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(1, stats.Connections);
        Assert.Equal(1, stats.Disconnections);
    }
}
