using System.Diagnostics;
using FastRealtime.Chat.Demo;
using FastRealtime.Tests.Infrastructure;

namespace FastRealtime.Tests.Gateways;

/// <summary>Seed 001's demo gateway on "/", as shared/spec/chat-protocol.md states it.</summary>
public sealed class DemoGatewayTests
{
    private static DemoGateway Demo(TestServer server) => (DemoGateway)server.Server.Gateways!.Of("/").Gateways.Single();

    [Fact]
    public async Task Events_AnyData_ThreeEventsWithData1To3()
    {
        await using var server = TestServer.Start();
        await using var client = await JsonWsClient.ConnectAsync(server.EndPoint, "/");
        await client.SendAsync("events", "hello world");
        for (int i = 1; i <= 3; i++) Assert.Equal($$"""{"event":"events","data":{{i}}}""", await client.ReceiveTextAsync());
    }

    [Fact]
    public async Task Identity_Data_SentBackUnchanged()
    {
        await using var server = TestServer.Start();
        await using var client = await JsonWsClient.ConnectAsync(server.EndPoint, "/");
        await client.SendTextAsync("""{"event":"identity","data":{"a":[1,2.5,"x\"y",null]}}""");
        Assert.Equal("""{"a":[1,2.5,"x\"y",null]}""", await client.ReceiveTextAsync());
    }

    [Fact]
    public async Task ConnectAndDisconnect_SeenByLifecycleHooks()
    {
        await using var server = TestServer.Start();
        var stats = Demo(server).Stats;
        var disconnected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        stats.Changed += (_, connected) => { if (!connected) disconnected.TrySetResult(); };

        await using (var client = await JsonWsClient.ConnectAsync(server.EndPoint, "/"))
        {
            await client.SendAsync("identity", 1); // a reply proves the connection hook already ran
            Assert.Equal("1", await client.ReceiveTextAsync());
            Assert.Equal(1, stats.Connections);
            Assert.Equal(0, stats.Disconnections);
        }
        await disconnected.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(1, stats.Disconnections);
    }

    [Fact]
    public async Task NodeWsClient_SeedMessages_GetTheRepliesTheSpecLists()
    {
        await using var server = TestServer.Start();
        string interop = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../interop"));
        Assert.True(Directory.Exists(Path.Combine(interop, "node_modules", "ws")), $"run `npm ci` in {interop} (test.sh does)");

        var start = new ProcessStartInfo("node", ["seed001-client.mjs", server.Port.ToString()])
        {
            WorkingDirectory = interop,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var node = Process.Start(start)!;
        var stdout = node.StandardOutput.ReadToEndAsync();
        var stderr = node.StandardError.ReadToEndAsync();
        await node.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));

        Assert.True(node.ExitCode == 0, await stderr);
        string[] expected =
        [
            "connected",
            """text {"event":"events","data":1}""",
            """text {"event":"events","data":2}""",
            """text {"event":"events","data":3}""",
            "text 42",
            """text {"nested":["ü",1.5,null,true]}""",
            "closed 1000",
        ];
        Assert.Equal(expected, (await stdout).Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(1, Demo(server).Stats.Connections);
    }
}
