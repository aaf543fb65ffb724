using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using FastRealtime.Chat.ScaleOut;
using FastRealtime.Tests.ChatBackend;

namespace FastRealtime.Tests.ScaleOut;

/// <summary>
/// The chat on two or three real <c>fastrealtime serve --redis</c> processes sharing one redis-server: presence, messages,
/// typing, notifications and the external emitter across nodes, over the plain JSON protocol (and Socket.IO through
/// chatcluster.mjs); Redis restarted and a node killed mid-test.
/// </summary>
public sealed class ChatClusterTests(RedisFixture fixture) : IClassFixture<RedisFixture>
{
    private static string[] UserIds(JsonElement users) => [.. users.EnumerateArray().Select(u => u.GetProperty("userId").GetString()!)];

    [Fact]
    public async Task Join_UsersOnTwoNodes_SeeEachOtherAndExchangeMessagesTypingAndLeave()
    {
        await using var cluster = await ChatCluster.StartAsync(fixture.Redis, fixture.NewPrefix());
        await using var alice = await ChatCluster.ConnectAsync(cluster.A, "u-alice", "Alice");
        await using var bob = await ChatCluster.ConnectAsync(cluster.B, "u-bob", "Bob");

        var first = await alice.AckAsync("chat:join-room", new { roomId = "lobby" });
        var second = await bob.AckAsync("chat:join-room", new { roomId = "lobby" });
        var joined = await alice.NextAsync("chat:user-joined");
        var sent = await alice.AckAsync("chat:send-message", new { roomId = "lobby", text = "hola from A" });
        var onB = await bob.NextAsync("chat:message");
        await bob.AckAsync("chat:send-message", new { roomId = "lobby", text = "hi from B" });
        var onA = await alice.NextAsync("chat:message");
        await bob.SendAsync("chat:typing-start", new { roomId = "lobby" });
        var typing = await alice.NextAsync("chat:typing");
        await bob.SendAsync("chat:leave-room", new { roomId = "lobby" });
        var left = await alice.NextAsync("chat:user-left");

        Assert.Equal(["u-alice"], UserIds(first.GetProperty("users")));
        Assert.Equal(["u-alice", "u-bob"], UserIds(second.GetProperty("users")));
        Assert.Equal("Alice", second.GetProperty("users")[0].GetProperty("userName").GetString());
        Assert.Equal("u-bob", joined.GetProperty("userId").GetString());
        Assert.Equal(sent.GetProperty("id").GetString(), onB.GetProperty("id").GetString());
        Assert.Equal("hola from A", onB.GetProperty("text").GetString());
        Assert.Equal("hi from B", onA.GetProperty("text").GetString());
        Assert.Equal("u-bob", typing.GetProperty("userId").GetString());
        Assert.True(typing.GetProperty("isTyping").GetBoolean());
        Assert.Equal("u-bob", left.GetProperty("userId").GetString());
        Assert.Empty(await alice.DrainAsync("chat:message", "lobby")); // the sender never gets its own message back
    }

    [Fact]
    public async Task Join_OneUserFromTwoNodesAtOnce_AnnouncedOnceAndLeftOnlyWithTheLastSocket()
    {
        await using var cluster = await ChatCluster.StartAsync(fixture.Redis, fixture.NewPrefix());
        await using var carol = await ChatCluster.ConnectAsync(cluster.A, "u-carol", "Carol");
        await carol.AckAsync("chat:join-room", new { roomId = "tabs" });
        var tabA = await ChatCluster.ConnectAsync(cluster.A, "u-alice", "Alice");
        var tabB = await ChatCluster.ConnectAsync(cluster.B, "u-alice", "Alice");

        // Both nodes' first sockets of alice join in the same moment: exactly one of them announces her.
        await Task.WhenAll(tabA.AckAsync("chat:join-room", new { roomId = "tabs" }), tabB.AckAsync("chat:join-room", new { roomId = "tabs" }));
        var joined = await carol.NextAsync("chat:user-joined");
        await tabB.DisposeAsync(); // a tab closing on node B while alice is still on node A: not a leave
        await Task.Delay(500);     // room for a wrong chat:user-left to arrive before the drain below
        var extraJoins = await carol.DrainAsync("chat:user-joined", "tabs");
        var earlyLeaves = await carol.DrainAsync("chat:user-left", "tabs");
        var users = await carol.AckAsync("chat:join-room", new { roomId = "tabs" });
        await tabA.DisposeAsync();
        var left = await carol.NextAsync("chat:user-left");

        Assert.Equal("u-alice", joined.GetProperty("userId").GetString());
        Assert.Empty(extraJoins);
        Assert.Empty(earlyLeaves);
        Assert.Equal(["u-alice", "u-carol"], UserIds(users.GetProperty("users")));
        Assert.Equal("u-alice", left.GetProperty("userId").GetString());
    }

    [Fact]
    public async Task Notification_PostedToNodeA_ReachesTheUsersSocketsOnEveryNodeAndCountsThem()
    {
        await using var cluster = await ChatCluster.StartAsync(fixture.Redis, fixture.NewPrefix());
        await using var onA = await ChatCluster.ConnectAsync(cluster.A, "u-alice", path: "/notifications");
        await using var onB = await ChatCluster.ConnectAsync(cluster.B, "u-alice", path: "/notifications");
        await using var bob = await ChatCluster.ConnectAsync(cluster.B, "u-bob", path: "/notifications");
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, $"http://{cluster.A.EndPoint}/api/notifications")
        {
            Content = new StringContent("""{"userId":"u-alice","type":"info","title":"Hola","message":"both nodes"}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", ChatCluster.AdminKey);

        var response = await http.SendAsync(request);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var gotA = await onA.NextAsync("notification:new");
        var gotB = await onB.NextAsync("notification:new");

        Assert.Equal(System.Net.HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(2, body.RootElement.GetProperty("delivered").GetInt32());
        Assert.Equal("cluster", body.RootElement.GetProperty("scope").GetString());
        Assert.Equal("Hola", gotA.GetProperty("title").GetString());
        Assert.Equal(body.RootElement.GetProperty("id").GetString(), gotB.GetProperty("id").GetString());
        Assert.Equal("both nodes", gotB.GetProperty("message").GetString());
    }

    [Fact]
    public async Task RedisEmitter_ToAChatRoom_ReachesMembersOnEveryNode()
    {
        await using var cluster = await ChatCluster.StartAsync(fixture.Redis, fixture.NewPrefix());
        await using var alice = await ChatCluster.ConnectAsync(cluster.A, "u-alice");
        await using var bob = await ChatCluster.ConnectAsync(cluster.B, "u-bob");
        await alice.AckAsync("chat:join-room", new { roomId = "news" });
        await bob.AckAsync("chat:join-room", new { roomId = "news" });
        using var emitter = new RedisEmitter(fixture.Redis.Configuration, cluster.Prefix);

        emitter.Of("/chat").To("news").Emit("chat:announcement", new { text = "from a job" });
        var onA = await alice.NextAsync("chat:announcement");
        var onB = await bob.NextAsync("chat:announcement");

        Assert.Equal("from a job", onA.GetProperty("text").GetString());
        Assert.Equal("from a job", onB.GetProperty("text").GetString());
    }

    private static readonly TimeSpan RecoveryBound = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Redis_RestartedMidChat_DeliveryAcrossNodesResumesAndPresenceIsWrittenAgain()
    {
        await using var cluster = await ChatCluster.StartAsync(fixture.Redis, fixture.NewPrefix());
        await using var alice = await ChatCluster.ConnectAsync(cluster.A, "u-alice", "Alice");
        await using var bob = await ChatCluster.ConnectAsync(cluster.B, "u-bob", "Bob");
        await alice.AckAsync("chat:join-room", new { roomId = "ops" });
        await bob.AckAsync("chat:join-room", new { roomId = "ops" });

        await fixture.Redis.StopAsync(); // every key is lost (no persistence)
        var whileDown = await alice.AckAsync("chat:send-message", new { roomId = "ops", text = "while down" }); // served locally
        await fixture.Redis.StartAsync();
        // Until both nodes are connected again a message may be dropped (never queued): send until one crosses. The
        // bounds are generous: reconnecting is paced by the client's heartbeat and a loaded CI machine slows it.
        string? received = null;
        var deadline = DateTime.UtcNow + RecoveryBound;
        for (int i = 0; received is null && DateTime.UtcNow < deadline; i++)
        {
            await alice.AckAsync("chat:send-message", new { roomId = "ops", text = $"after {i}" });
            received = (await bob.DrainAsync("chat:message", "ops")).Select(m => m.GetProperty("text").GetString()).FirstOrDefault(t => t!.StartsWith("after", StringComparison.Ordinal));
            if (received is null) await Task.Delay(250);
        }
        await using var carol = await ChatCluster.ConnectAsync(cluster.B, "u-carol", "Carol");
        string[] users = [];
        for (deadline = DateTime.UtcNow + RecoveryBound; users.Length != 3 && DateTime.UtcNow < deadline;) // the nodes rewrite their entries once they are back
        {
            users = UserIds((await carol.AckAsync("chat:join-room", new { roomId = "ops" })).GetProperty("users"));
            if (users.Length != 3) await Task.Delay(250);
        }

        Assert.Equal("delivered", whileDown.GetProperty("status").GetString());
        Assert.True(received is not null, cluster.NodeOutputs());
        Assert.True(users.SequenceEqual(["u-alice", "u-bob", "u-carol"]), $"users {string.Join(",", users)}\n{cluster.NodeOutputs()}");
    }

    [Fact]
    public async Task Node_KilledWithSigkill_ItsUsersLeaveTheRoomsOfTheOthers()
    {
        await using var cluster = await ChatCluster.StartAsync(fixture.Redis, fixture.NewPrefix(), nodes: 3);
        await using var bob = await ChatCluster.ConnectAsync(cluster.B, "u-bob", "Bob");
        await using var carol = await ChatCluster.ConnectAsync(cluster.Nodes[2], "u-carol", "Carol");
        await bob.AckAsync("chat:join-room", new { roomId = "crash" });
        var alice = await ChatCluster.ConnectAsync(cluster.A, "u-alice", "Alice");
        await alice.AckAsync("chat:join-room", new { roomId = "crash" });
        var dave = await ChatCluster.ConnectAsync(cluster.A, "u-dave", "Dave"); // also on B: stays
        await using var daveOnB = await ChatCluster.ConnectAsync(cluster.B, "u-dave", "Dave");
        await dave.AckAsync("chat:join-room", new { roomId = "crash" });
        await daveOnB.AckAsync("chat:join-room", new { roomId = "crash" });
        await carol.AckAsync("chat:join-room", new { roomId = "crash" });

        await cluster.A.KillAsync();
        var left = await bob.NextAsync("chat:user-left"); // within NodeTimeout + heartbeat (~2.5 s) + the check
        var users = await carol.AckAsync("chat:join-room", new { roomId = "crash" });
        var carolSawLeft = await carol.NextAsync("chat:user-left");
        var leaves = await bob.DrainAsync("chat:user-left", "crash");

        Assert.Equal("u-alice", left.GetProperty("userId").GetString());
        Assert.Equal("Alice", left.GetProperty("userName").GetString());
        Assert.Equal("u-alice", carolSawLeft.GetProperty("userId").GetString());
        Assert.Empty(leaves); // dave still has a socket on node B
        Assert.Equal(["u-bob", "u-carol", "u-dave"], UserIds(users.GetProperty("users")));
        await alice.DisposeAsync();
        await dave.DisposeAsync();
    }

    [Fact]
    public async Task Node_StoppedWithSigterm_ItsUsersLeaveAndItSaysGoodbyeSoNoLossIsReported()
    {
        await using var cluster = await ChatCluster.StartAsync(fixture.Redis, fixture.NewPrefix());
        await using var bob = await ChatCluster.ConnectAsync(cluster.B, "u-bob", "Bob");
        await bob.AckAsync("chat:join-room", new { roomId = "bye" });
        var alice = await ChatCluster.ConnectAsync(cluster.A, "u-alice", "Alice");
        await alice.AckAsync("chat:join-room", new { roomId = "bye" });
        await alice.AckAsync("chat:send-message", new { roomId = "bye", text = "counted" });
        using var http = new HttpClient();
        string metricsA = await http.GetStringAsync($"http://{cluster.A.EndPoint}/metrics");

        cluster.A.Terminate();
        var left = await bob.NextAsync("chat:user-left");
        int? exitCode = await cluster.A.WaitForExitAsync(TimeSpan.FromSeconds(15));
        string metricsB = "";
        for (var deadline = DateTime.UtcNow + RecoveryBound; !metricsB.Contains("fastrealtime_scaleout_nodes 1", StringComparison.Ordinal) && DateTime.UtcNow < deadline;)
        {
            await Task.Delay(100);
            metricsB = await http.GetStringAsync($"http://{cluster.B.EndPoint}/metrics");
        }
        await alice.DisposeAsync();

        Assert.Equal("u-alice", left.GetProperty("userId").GetString());
        Assert.Equal(0, exitCode);
        Assert.Contains("fastrealtime_scaleout_published_total", metricsA); // the ScaleOut meter is on /metrics
        Assert.Contains("fastrealtime_scaleout_connected 1", metricsA);
        Assert.Contains("fastrealtime_scaleout_nodes 1", metricsB); // A left the node set itself...
        Assert.DoesNotContain("stopped heart-beating", cluster.B.Output); // ...so B reports no loss
        // Stop order on A: the server, then the node's chat presence (and goodbye), then the history store.
        string output = cluster.A.Output;
        int server = output.IndexOf("Stopping: closing", StringComparison.Ordinal);
        int presence = output.IndexOf("(stopping) removed", StringComparison.Ordinal);
        int store = output.IndexOf("history.db closed", StringComparison.Ordinal);
        Assert.True(server >= 0 && server < presence && presence < store, output);
    }

    [Fact]
    public async Task SocketIo_UsersOnTwoNodes_ChatAcrossNodes()
    {
        await using var cluster = await ChatCluster.StartAsync(fixture.Redis, fixture.NewPrefix());

        await cluster.RunScenarioAsync("crossNode");
    }
}
