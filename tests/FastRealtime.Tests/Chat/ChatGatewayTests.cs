using System.Text.Json;
using FastRealtime.Chat.ChatApp;

namespace FastRealtime.Tests.ChatBackend;

/// <summary>
/// The /chat contract (shared/spec/chat-protocol.md) over the plain-WebSocket JSON protocol {event, data, id}, against
/// the real composition on loopback. The Socket.IO side runs the same contract with the npm client (ChatSocketIoTests).
/// </summary>
public sealed class ChatGatewayTests : IAsyncLifetime
{
    private ChatTestServer _server = null!;

    public Task InitializeAsync()
    {
        _server = ChatTestServer.Start(s => s.RecentMessages = 3);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private static object Room(string roomId = "general") => new { roomId };

    [Fact]
    public async Task JoinRoom_SecondUser_AckListsBothUsersAndFirstSeesUserJoined()
    {
        await using var alice = await ChatWsClient.ConnectAsync(_server, "u-alice", "Alice");
        await using var bob = await ChatWsClient.ConnectAsync(_server, "u-bob", "Bob");
        var first = await alice.AckAsync(ChatEvents.JoinRoom, Room());
        Assert.Equal("general", first.GetProperty("roomId").GetString());
        Assert.Equal(0, first.GetProperty("recentMessages").GetArrayLength());

        var ack = await bob.AckAsync(ChatEvents.JoinRoom, Room());

        var users = ack.GetProperty("users").EnumerateArray().Select(u => (u.GetProperty("userId").GetString(), u.GetProperty("userName").GetString())).ToArray();
        Assert.Equal([("u-alice", "Alice"), ("u-bob", "Bob")], users);
        var joined = await alice.NextAsync(ChatEvents.UserJoined);
        Assert.Equal("u-bob", joined.GetProperty("userId").GetString());
        Assert.Equal("Bob", joined.GetProperty("userName").GetString());
        Assert.Equal("general", joined.GetProperty("roomId").GetString());
        Assert.True(DateTimeOffset.TryParse(joined.GetProperty("joinedAt").GetString(), out _));
        Assert.Empty(await bob.DrainAsync(ChatEvents.UserJoined, "general")); // the joiner is not told about itself
    }

    [Fact]
    public async Task SendMessage_ThreeUsers_AckAfterStoreAndEveryoneElseReceivesIt()
    {
        await using var alice = await ChatWsClient.ConnectAsync(_server, "u-alice", "Alice");
        await using var bob = await ChatWsClient.ConnectAsync(_server, "u-bob", "Bob");
        await using var carol = await ChatWsClient.ConnectAsync(_server, "u-carol", "Carol");
        await using var outsider = await ChatWsClient.ConnectAsync(_server, "u-dave", "Dave");
        foreach (var c in new[] { alice, bob, carol }) await c.AckAsync(ChatEvents.JoinRoom, Room());
        await outsider.AckAsync(ChatEvents.JoinRoom, Room("other"));

        var ack = await alice.AckAsync(ChatEvents.SendMessage, new { roomId = "general", text = "¡Hola a todos!" });

        Assert.Equal("delivered", ack.GetProperty("status").GetString());
        string id = ack.GetProperty("id").GetString()!;
        Assert.Equal(1, _server.Store.Count); // stored before the ack
        foreach (var other in new[] { bob, carol })
        {
            var message = await other.NextAsync(ChatEvents.Message);
            Assert.Equal(id, message.GetProperty("id").GetString());
            Assert.Equal("u-alice", message.GetProperty("userId").GetString());
            Assert.Equal("Alice", message.GetProperty("userName").GetString());
            Assert.Equal("general", message.GetProperty("roomId").GetString());
            Assert.Equal("¡Hola a todos!", message.GetProperty("text").GetString());
            Assert.Equal(ack.GetProperty("sentAt").GetString(), message.GetProperty("sentAt").GetString());
        }
        Assert.Empty(await alice.DrainAsync(ChatEvents.Message, "general"));
        Assert.Empty(await outsider.DrainAsync(ChatEvents.Message, "other"));
    }

    [Fact]
    public async Task JoinRoom_AfterMessages_ReturnsTheMostRecentOldestFirst()
    {
        await using var alice = await ChatWsClient.ConnectAsync(_server, "u-alice");
        await alice.AckAsync(ChatEvents.JoinRoom, Room());
        for (int i = 1; i <= 5; i++) await alice.AckAsync(ChatEvents.SendMessage, new { roomId = "general", text = $"m{i}" });
        await using var bob = await ChatWsClient.ConnectAsync(_server, "u-bob");

        var ack = await bob.AckAsync(ChatEvents.JoinRoom, Room());

        // RecentMessages = 3 in this fixture.
        Assert.Equal(["m3", "m4", "m5"], ack.GetProperty("recentMessages").EnumerateArray().Select(m => m.GetProperty("text").GetString()));
    }

    [Fact]
    public async Task History_BeforeOldestSeen_PagesBackOldestFirst()
    {
        await using var alice = await ChatWsClient.ConnectAsync(_server, "u-alice");
        await alice.AckAsync(ChatEvents.JoinRoom, Room());
        for (int i = 1; i <= 5; i++) await alice.AckAsync(ChatEvents.SendMessage, new { roomId = "general", text = $"m{i}" });

        var newest = await alice.AckAsync(ChatEvents.History, new { roomId = "general", limit = 2 });
        string oldestSeen = newest.GetProperty("messages")[0].GetProperty("id").GetString()!;
        var older = await alice.AckAsync(ChatEvents.History, new { roomId = "general", before = oldestSeen, limit = 2 });

        Assert.Equal(["m4", "m5"], Texts(newest));
        Assert.Equal(["m2", "m3"], Texts(older));
        Assert.Equal("general", older.GetProperty("roomId").GetString());
        static IEnumerable<string?> Texts(JsonElement page) => page.GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("text").GetString());
    }

    [Theory]
    [InlineData(ChatEvents.SendMessage)]
    [InlineData(ChatEvents.TypingStart)]
    [InlineData(ChatEvents.History)]
    public async Task RoomRequest_NotAMember_AnswersExceptionAndStoresNothing(string @event)
    {
        await using var alice = await ChatWsClient.ConnectAsync(_server, "u-alice");
        await using var bob = await ChatWsClient.ConnectAsync(_server, "u-bob");
        await bob.AckAsync(ChatEvents.JoinRoom, Room());

        string message = await alice.ExceptionAsync(@event, new { roomId = "general", text = "sneaky" });

        Assert.Contains("Not a member of room 'general'", message);
        Assert.Equal(0, _server.Store.Count);
        Assert.Empty(await bob.DrainAsync(ChatEvents.Message, "general"));
        Assert.Empty(await bob.DrainAsync(ChatEvents.Typing, "general"));
    }

    [Theory]
    [InlineData("", "text")]
    [InlineData("   ", "text")]
    [InlineData(null, "text")]
    [InlineData("LONG", "text")]
    public async Task SendMessage_InvalidText_ExceptionNamesTheFieldAndNothingIsSent(string? text, string field)
    {
        if (text == "LONG") text = new string('x', SendMessageRequest.MaxTextLength + 1);
        await using var alice = await ChatWsClient.ConnectAsync(_server, "u-alice");
        await using var bob = await ChatWsClient.ConnectAsync(_server, "u-bob");
        await alice.AckAsync(ChatEvents.JoinRoom, Room());
        await bob.AckAsync(ChatEvents.JoinRoom, Room());

        string message = await alice.ExceptionAsync(ChatEvents.SendMessage, new { roomId = "general", text });

        Assert.Contains(field, message);
        Assert.Equal(0, _server.Store.Count);
        Assert.Empty(await bob.DrainAsync(ChatEvents.Message, "general"));
    }

    [Fact]
    public async Task SendMessage_MaxLengthText_IsAccepted()
    {
        await using var alice = await ChatWsClient.ConnectAsync(_server, "u-alice");
        await alice.AckAsync(ChatEvents.JoinRoom, Room());
        await alice.AckAsync(ChatEvents.SendMessage, new { roomId = "general", text = new string('x', SendMessageRequest.MaxTextLength) });
        Assert.Equal(1, _server.Store.Count);
    }

    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("slash/room")]
    [InlineData("a-room-name-that-is-far-too-long-for-the-limit-of-sixty-four-chars!")]
    public async Task JoinRoom_InvalidRoomId_ExceptionNamesRoomId(string roomId)
    {
        await using var alice = await ChatWsClient.ConnectAsync(_server, "u-alice");
        string message = await alice.ExceptionAsync(ChatEvents.JoinRoom, new { roomId });
        Assert.Contains("roomId", message);
    }

    [Fact]
    public async Task JoinRoom_AllowedPunctuation_Joins()
    {
        await using var alice = await ChatWsClient.ConnectAsync(_server, "u-alice");
        var ack = await alice.AckAsync(ChatEvents.JoinRoom, Room("team_1-dev:ops.eu"));
        Assert.Equal("team_1-dev:ops.eu", ack.GetProperty("roomId").GetString());
    }

    [Fact]
    public async Task SendMessage_StoreFails_ExceptionNoAckNoBroadcast()
    {
        await using var alice = await ChatWsClient.ConnectAsync(_server, "u-alice");
        await using var bob = await ChatWsClient.ConnectAsync(_server, "u-bob");
        await alice.AckAsync(ChatEvents.JoinRoom, Room());
        await bob.AckAsync(ChatEvents.JoinRoom, Room());
        _server.Store.FailAppends = true;

        string message = await alice.ExceptionAsync(ChatEvents.SendMessage, new { roomId = "general", text = "lost" });

        Assert.Contains("could not be stored", message);
        Assert.Empty(await bob.DrainAsync(ChatEvents.Message, "general"));
        _server.Store.FailAppends = false;
        await alice.AckAsync(ChatEvents.SendMessage, new { roomId = "general", text = "after" }); // the connection stays usable
        Assert.Equal("after", (await bob.NextAsync(ChatEvents.Message)).GetProperty("text").GetString());
    }

    [Fact]
    public async Task Typing_StartAndStop_OthersSeeItTypistDoesNot()
    {
        await using var alice = await ChatWsClient.ConnectAsync(_server, "u-alice", "Alice");
        await using var bob = await ChatWsClient.ConnectAsync(_server, "u-bob", "Bob");
        await alice.AckAsync(ChatEvents.JoinRoom, Room());
        await bob.AckAsync(ChatEvents.JoinRoom, Room());

        await alice.SendAsync(ChatEvents.TypingStart, Room());
        await alice.SendAsync(ChatEvents.TypingStop, Room());

        var start = await bob.NextAsync(ChatEvents.Typing);
        var stop = await bob.NextAsync(ChatEvents.Typing);
        Assert.Equal(("u-alice", "Alice", "general", true),
            (start.GetProperty("userId").GetString(), start.GetProperty("userName").GetString(), start.GetProperty("roomId").GetString(), start.GetProperty("isTyping").GetBoolean()));
        Assert.False(stop.GetProperty("isTyping").GetBoolean());
        Assert.Empty(await alice.DrainAsync(ChatEvents.Typing, "general"));
    }

    [Fact]
    public async Task LeaveRoom_ThenSend_OthersSawUserLeftAndSendIsRefused()
    {
        await using var alice = await ChatWsClient.ConnectAsync(_server, "u-alice", "Alice");
        await using var bob = await ChatWsClient.ConnectAsync(_server, "u-bob", "Bob");
        await alice.AckAsync(ChatEvents.JoinRoom, Room());
        await bob.AckAsync(ChatEvents.JoinRoom, Room());

        await alice.SendAsync(ChatEvents.LeaveRoom, Room());

        var left = await bob.NextAsync(ChatEvents.UserLeft);
        Assert.Equal(("u-alice", "Alice", "general"), (left.GetProperty("userId").GetString(), left.GetProperty("userName").GetString(), left.GetProperty("roomId").GetString()));
        Assert.True(DateTimeOffset.TryParse(left.GetProperty("leftAt").GetString(), out _));
        await alice.ExceptionAsync(ChatEvents.SendMessage, new { roomId = "general", text = "gone" });
        var users = await bob.NextAsync(ChatEvents.RoomUsers);
        while (users.GetProperty("users").GetArrayLength() != 1) users = await bob.NextAsync(ChatEvents.RoomUsers);
        Assert.Equal("u-bob", users.GetProperty("users")[0].GetProperty("userId").GetString());
    }

    [Fact]
    public async Task Presence_TwoTabsOfOneUser_JoinedOnceLeftOnlyWhenTheLastTabGoes()
    {
        await using var bob = await ChatWsClient.ConnectAsync(_server, "u-bob");
        await bob.AckAsync(ChatEvents.JoinRoom, Room());
        var tab1 = await ChatWsClient.ConnectAsync(_server, "u-alice");
        var tab2 = await ChatWsClient.ConnectAsync(_server, "u-alice");
        await tab1.AckAsync(ChatEvents.JoinRoom, Room());
        var secondAck = await tab2.AckAsync(ChatEvents.JoinRoom, Room());
        Assert.Equal(2, secondAck.GetProperty("users").GetArrayLength()); // alice once, bob

        Assert.Single(await bob.DrainAsync(ChatEvents.UserJoined, "general"));
        await tab1.SendAsync(ChatEvents.LeaveRoom, Room());
        await tab1.DisposeAsync();
        await tab2.AckAsync(ChatEvents.SendMessage, new { roomId = "general", text = "still here" });
        Assert.Equal("still here", (await bob.NextAsync(ChatEvents.Message)).GetProperty("text").GetString());
        Assert.Empty(await bob.DrainAsync(ChatEvents.UserLeft, "general"));

        await tab2.DisposeAsync(); // the last tab disconnects without leaving

        var left = await bob.NextAsync(ChatEvents.UserLeft);
        Assert.Equal("u-alice", left.GetProperty("userId").GetString());
        Assert.Empty(await bob.DrainAsync(ChatEvents.UserLeft, "general"));
    }

    [Fact]
    public async Task Disconnect_MemberOfTwoRooms_UserLeftInEach()
    {
        await using var bob = await ChatWsClient.ConnectAsync(_server, "u-bob");
        await bob.AckAsync(ChatEvents.JoinRoom, Room("a"));
        await bob.AckAsync(ChatEvents.JoinRoom, Room("b"));
        var alice = await ChatWsClient.ConnectAsync(_server, "u-alice");
        await alice.AckAsync(ChatEvents.JoinRoom, Room("a"));
        await alice.AckAsync(ChatEvents.JoinRoom, Room("b"));

        await alice.DisposeAsync();

        var rooms = new[] { await bob.NextAsync(ChatEvents.UserLeft), await bob.NextAsync(ChatEvents.UserLeft) }
            .Select(e => e.GetProperty("roomId").GetString()).Order();
        Assert.Equal(["a", "b"], rooms);
    }

    [Theory]
    [InlineData("/chat", null)]
    [InlineData("/chat", "garbage")]
    [InlineData("/chat", "expired")]
    [InlineData("/notifications", null)]
    public async Task Upgrade_MissingOrBadToken_Refused401BeforeTheUpgrade(string path, string? token)
    {
        if (token == "expired") token = Auth.TestTokens.Sign("u-alice", "Alice", expiresIn: TimeSpan.FromHours(-1), notBeforeIn: TimeSpan.FromHours(-2));
        string target = token is null ? path : $"{path}?token={Uri.EscapeDataString(token)}";

        var response = await Infrastructure.RawHttp.SendAsync(_server.Server.LocalEndPoint,
            Infrastructure.RawHttp.Request($"GET {target} HTTP/1.1", Infrastructure.RawHttp.UpgradeHeaders(_server.Server.LocalEndPoint)));

        Assert.Equal(401, response.StatusCode);
        Assert.Contains("message", response.Body);
        Assert.Equal(0, _server.Chat.ClientCount);
    }

    [Fact]
    public async Task Metrics_AfterAMessage_ExportsChatCounters()
    {
        await using var alice = await ChatWsClient.ConnectAsync(_server, "u-alice");
        await alice.AckAsync(ChatEvents.JoinRoom, Room());
        await alice.AckAsync(ChatEvents.SendMessage, new { roomId = "general", text = "counted" });

        string metrics = _server.Server.RenderMetrics();

        Assert.Contains("chat_messages_stored", metrics);
        Assert.Contains("chat_acks", metrics);
        Assert.Contains("chat_rooms 1", metrics);
        Assert.Contains("fastrealtime_", metrics); // the server's own meter still there
    }
}

/// <summary>The per-socket chat message rate (ChatSettings.MaxMessagesPerSecond / MessageBurst).</summary>
public sealed class ChatRateLimitTests
{
    [Fact]
    public async Task SendMessage_BeyondTheBurst_AnswersExceptionAndStoresOnlyTheAllowed()
    {
        // One message per second after a burst of 3: ten sends in a row cannot all pass (that would take 7 s).
        await using var server = ChatTestServer.Start(s => { s.MaxMessagesPerSecond = 1; s.MessageBurst = 3; });
        await using var alice = await ChatWsClient.ConnectAsync(server, "u-alice");
        await using var otherTab = await ChatWsClient.ConnectAsync(server, "u-alice");
        await alice.AckAsync(ChatEvents.JoinRoom, new { roomId = "general" });
        await otherTab.AckAsync(ChatEvents.JoinRoom, new { roomId = "general" });

        var outcomes = new List<bool>();
        for (int i = 0; i < 10; i++)
        {
            var (reply, isException) = await alice.RequestAsync(ChatEvents.SendMessage, new { roomId = "general", text = $"m{i}" });
            if (isException) Assert.Contains("Rate limit", reply.GetProperty("message").GetString());
            outcomes.Add(!isException);
        }

        Assert.True(outcomes.Take(3).All(ok => ok), "the burst passes");
        Assert.Contains(false, outcomes);
        Assert.Equal(outcomes.Count(ok => ok), server.Store.Count);
        // The limit is per socket: the user's other tab still has its own burst.
        await otherTab.AckAsync(ChatEvents.SendMessage, new { roomId = "general", text = "from the other tab" });
    }
}
