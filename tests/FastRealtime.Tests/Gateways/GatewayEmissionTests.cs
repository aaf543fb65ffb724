namespace FastRealtime.Tests.Gateways;

/// <summary>Every emission pattern of the seed's list, through real sockets: who gets the message, and who does not.</summary>
public sealed class GatewayEmissionTests
{
    private static async Task<JsonWsClient[]> ConnectAsync(GatewayTestServer server, int count, string? user = null)
    {
        var clients = new JsonWsClient[count];
        for (int i = 0; i < count; i++) clients[i] = await server.ConnectAsync(user);
        return clients;
    }

    private static async Task JoinAsync(JsonWsClient client, params string[] rooms)
    {
        foreach (var room in rooms) Assert.Equal("Joined", (await client.RequestAsync("join", new { room })).GetString());
    }

    private static async Task DisposeAllAsync(IEnumerable<JsonWsClient> clients)
    {
        foreach (var client in clients) await client.DisposeAsync();
    }

    [Fact]
    public async Task ClientTo_RoomExceptSender_ReachesOtherMembersOnly()
    {
        await using var server = GatewayTestServer.Start();
        var c = await ConnectAsync(server, 4);
        try
        {
            await JoinAsync(c[0], "a");
            await JoinAsync(c[1], "a");
            await JoinAsync(c[2], "a");
            await JoinAsync(c[3], "b");

            Assert.Equal(2, (await c[0].RequestAsync("to-room", new { room = "a", text = "hi" })).GetInt32());

            Assert.Equal("\"hi\"", await c[1].ReceiveEventAsync("msg"));
            Assert.Equal("\"hi\"", await c[2].ReceiveEventAsync("msg"));
            await c[0].AssertNothingPendingAsync();
            await c[3].AssertNothingPendingAsync();
        }
        finally { await DisposeAllAsync(c); }
    }

    [Fact]
    public async Task ServerTo_Room_ReachesEveryMemberIncludingSender()
    {
        await using var server = GatewayTestServer.Start();
        var c = await ConnectAsync(server, 3);
        try
        {
            await JoinAsync(c[0], "a");
            await JoinAsync(c[1], "a");

            int id = await c[0].SendWithIdAsync("to-room-all", new { room = "a", text = "all" });
            // The emit is queued before the handler's ack, so the sender sees its own message first.
            Assert.Equal("\"all\"", await c[0].ReceiveEventAsync("msg"));
            var ack = await c[0].ReceiveAsync();
            Assert.Equal(id, ack.GetProperty("id").GetInt32());
            Assert.Equal(2, ack.GetProperty("data").GetInt32());
            Assert.Equal("\"all\"", await c[1].ReceiveEventAsync("msg"));
            await c[2].AssertNothingPendingAsync();
        }
        finally { await DisposeAllAsync(c); }
    }

    [Fact]
    public async Task ServerTo_SeveralRooms_EachRecipientOnce()
    {
        await using var server = GatewayTestServer.Start();
        var c = await ConnectAsync(server, 4);
        try
        {
            await JoinAsync(c[0], "a", "b"); // in both rooms: must get one copy
            await JoinAsync(c[1], "a");
            await JoinAsync(c[2], "b");
            await JoinAsync(c[3], "c");

            Assert.Equal(3, (await c[3].RequestAsync("to-rooms", new { rooms = new[] { "a", "b" }, text = "x" })).GetInt32());

            for (int i = 0; i < 3; i++) Assert.Equal("\"x\"", await c[i].ReceiveEventAsync("msg"));
            for (int i = 0; i < 4; i++) await c[i].AssertNothingPendingAsync();
        }
        finally { await DisposeAllAsync(c); }
    }

    [Fact]
    public async Task ServerTo_RoomExceptRoom_SkipsMembersOfTheOtherRoom()
    {
        await using var server = GatewayTestServer.Start();
        var c = await ConnectAsync(server, 3);
        try
        {
            await JoinAsync(c[0], "general");
            await JoinAsync(c[1], "general", "admins");
            await JoinAsync(c[2], "admins");

            Assert.Equal(1, (await c[2].RequestAsync("to-room-except-room", new { room = "general", exceptRoom = "admins", text = "psst" })).GetInt32());

            Assert.Equal("\"psst\"", await c[0].ReceiveEventAsync("msg"));
            await c[1].AssertNothingPendingAsync();
            await c[2].AssertNothingPendingAsync();
        }
        finally { await DisposeAllAsync(c); }
    }

    [Fact]
    public async Task ServerToClient_OneSocket_OnlyThatSocket()
    {
        await using var server = GatewayTestServer.Start();
        var c = await ConnectAsync(server, 3);
        try
        {
            string targetId = (await c[1].RequestAsync("whoami", null)).GetProperty("id").GetString()!;

            Assert.Equal(1, (await c[0].RequestAsync("to-client", new { clientId = targetId, text = "dm" })).GetInt32());

            Assert.Equal("\"dm\"", await c[1].ReceiveEventAsync("msg"));
            await c[0].AssertNothingPendingAsync();
            await c[2].AssertNothingPendingAsync();
        }
        finally { await DisposeAllAsync(c); }
    }

    [Fact]
    public async Task ServerEmit_Everyone_ReachesEveryClientOfTheNamespace()
    {
        await using var server = GatewayTestServer.Start();
        var c = await ConnectAsync(server, 3);
        await using var otherNamespace = await server.ConnectAsync(path: "/");
        try
        {
            await JoinAsync(c[0], "a"); // rooms do not matter for everyone

            int id = await c[2].SendWithIdAsync("everyone", "all");

            for (int i = 0; i < 3; i++) Assert.Equal("\"all\"", await c[i].ReceiveEventAsync("msg"));
            var ack = await c[2].ReceiveAsync(); // the sender is part of everyone: its copy came before the ack
            Assert.Equal(id, ack.GetProperty("id").GetInt32());
            Assert.Equal(3, ack.GetProperty("data").GetInt32());
            // A client of another namespace (the demo gateway on /) is not part of "everyone".
            await otherNamespace.SendAsync("identity", "still quiet");
            Assert.Equal("\"still quiet\"", await otherNamespace.ReceiveTextAsync());
        }
        finally { await DisposeAllAsync(c); }
    }

    [Fact]
    public async Task ClientBroadcast_EveryoneExceptSender()
    {
        await using var server = GatewayTestServer.Start();
        var c = await ConnectAsync(server, 3);
        try
        {
            Assert.Equal(2, (await c[0].RequestAsync("broadcast", "b")).GetInt32());
            Assert.Equal("\"b\"", await c[1].ReceiveEventAsync("msg"));
            Assert.Equal("\"b\"", await c[2].ReceiveEventAsync("msg"));
            await c[0].AssertNothingPendingAsync();
        }
        finally { await DisposeAllAsync(c); }
    }

    [Fact]
    public async Task ServerToUser_SeveralSockets_EverySocketOfThatUserOnly()
    {
        await using var server = GatewayTestServer.Start();
        var alice = await ConnectAsync(server, 3, user: "alice");
        var bob = await ConnectAsync(server, 1, user: "bob");
        try
        {
            Assert.True(server.Namespace.IsOnline("alice"));
            Assert.Equal(3, server.Namespace.Users.SocketCount("alice"));

            Assert.Equal(3, (await bob[0].RequestAsync("to-user", new { userId = "alice", text = "hey" })).GetInt32());

            foreach (var socket in alice) Assert.Equal("\"hey\"", await socket.ReceiveEventAsync("msg"));
            await bob[0].AssertNothingPendingAsync();
        }
        finally
        {
            await DisposeAllAsync(alice);
            await DisposeAllAsync(bob);
        }
    }

    [Fact]
    public async Task Leave_ThenEmitToRoom_NoLongerReached()
    {
        await using var server = GatewayTestServer.Start();
        var c = await ConnectAsync(server, 2);
        try
        {
            await JoinAsync(c[0], "a");
            await JoinAsync(c[1], "a");
            Assert.True((await c[1].RequestAsync("leave", new { room = "a" })).GetBoolean());

            Assert.Equal(0, (await c[0].RequestAsync("to-room", new { room = "a", text = "gone" })).GetInt32());
            await c[1].AssertNothingPendingAsync();
        }
        finally { await DisposeAllAsync(c); }
    }

    [Fact]
    public async Task InjectedEmitter_OutsideAnyHandler_ReachesRoomAndEncodesOncePerProtocol()
    {
        await using var server = GatewayTestServer.Start();
        var c = await ConnectAsync(server, 2);
        try
        {
            await JoinAsync(c[0], "r");
            await JoinAsync(c[1], "r");

            var result = server.Namespace.To("r").Emit("notice", new { title = "Ünïcode <ok>", count = 2 });

            Assert.Equal(2, result.Queued);
            string expected = """{"event":"notice","data":{"title":"Ünïcode <ok>","count":2}}""";
            Assert.Equal(expected, await c[0].ReceiveTextAsync());
            Assert.Equal(expected, await c[1].ReceiveTextAsync());
            Assert.Same(server.Namespace, server.Gateway.InitializedWith);
        }
        finally { await DisposeAllAsync(c); }
    }
}
