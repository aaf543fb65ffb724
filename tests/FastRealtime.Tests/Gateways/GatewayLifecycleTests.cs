using System.Net.Sockets;
using System.Text;
using FastRealtime.Tests.Infrastructure;
using FastRealtime.Transport.WebSockets;

namespace FastRealtime.Tests.Gateways;

/// <summary>Connect/disconnect cleanup under churn, and a slow reader in a big room.</summary>
public sealed class GatewayLifecycleTests
{
    [Fact]
    public async Task ConnectJoinDisconnect_10000Cycles_NoMembershipLeft()
    {
        const int cycles = 10_000;
        const int concurrency = 50; // in-process connections stay far below the 20,000 descriptors per process
        await using var server = GatewayTestServer.Start(o => o.MaxMessagesPerSecond = 0);
        int next = -1;
        var workers = Enumerable.Range(0, concurrency).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < cycles)
            {
                await using var client = await server.ConnectAsync(user: $"u{i % 7}");
                Assert.Equal("Joined", (await client.RequestAsync("join", new { room = $"r{i % 10}" })).GetString());
                await client.SendAsync("join", new { room = "shared" }); // no ack awaited: may race the close
                if (i % 2 == 0)
                {
                    await client.Raw.SendCloseAsync(WebSocketCloseCodes.NormalClosure);
                    await client.Raw.ReceiveCloseAsync();
                }
                // odd cycles: the socket is just dropped (TCP close without a close frame)
            }
        }).ToArray();
        await Task.WhenAll(workers);

        await server.WaitForEmptyAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(0, server.Namespace.ClientCount);
        Assert.Equal(0, server.Namespace.Rooms.RoomCount);
        Assert.Equal(0, server.Namespace.Users.UserCount);
        Assert.Equal(cycles, server.Gateway.Connects);
        Assert.Equal(cycles, server.Gateway.Disconnects);
        Assert.Empty(server.Gateway.Clients);
    }

    [Fact]
    public async Task SlowReader_In1000MemberRoom_OthersGetEverything_SlowOneClosedPastItsBound()
    {
        const int members = 1000;
        const int payloadChars = 8 * 1024;
        await using var server = GatewayTestServer.Start(
            o => o.MaxMessagesPerSecond = 0,
            s => s.MaxOutboundBytes = 64 * 1024);

        var slow = await ConnectSlowReaderAsync(server);
        var fast = new JsonWsClient[members - 1];
        for (int i = 0; i < fast.Length; i++)
        {
            fast[i] = await server.ConnectAsync();
            Assert.Equal("Joined", (await fast[i].RequestAsync("join", new { room = "big" })).GetString());
        }
        Assert.Equal(members, server.Namespace.Rooms.MemberCount("big"));

        try
        {
            // Readers run while the server emits; the slow member never reads a byte after its handshake.
            string text = new('x', payloadChars);
            int sent = 0;
            var progress = new int[fast.Length];
            var readers = fast.Select((client, i) => ReadUntilEndAsync(client, progress, i)).ToArray();
            while (server.Namespace.Rooms.MemberCount("big") == members && sent < 2000)
            {
                var result = server.Namespace.To("big").Emit("big", new { seq = sent, text });
                Assert.True(result.Queued >= members - 1, $"broadcast {sent}: {result}");
                sent++;
                // Fast readers stay within a few messages (well inside their 64 KiB bound); the slow one falls behind.
                while (progress.Min() < sent - 4) await Task.Delay(1);
            }
            server.Namespace.To("big").Emit("big", new { seq = -1, text = "end" });
            var counts = await Task.WhenAll(readers);

            Assert.True(sent < 2000, "the slow reader was never cut off");
            Assert.Equal(members - 1, server.Namespace.Rooms.MemberCount("big"));
            Assert.All(counts, count => Assert.Equal(sent, count));
            Assert.True(await WaitForClosedAsync(slow), "the server did not close the slow reader's connection");
        }
        finally
        {
            slow.Dispose();
            foreach (var client in fast) await client.DisposeAsync();
        }
    }

    // Counts the messages in order until the end marker (seq -1).
    private static async Task<int> ReadUntilEndAsync(JsonWsClient client, int[] progress, int index)
    {
        int received = 0;
        while (true)
        {
            int seq = (await client.ReceiveAsync()).GetProperty("data").GetProperty("seq").GetInt32();
            if (seq < 0) return received;
            Assert.Equal(received, seq);
            Volatile.Write(ref progress[index], ++received);
        }
    }

    // A raw socket with a tiny receive buffer, set before connecting so the advertised window stays small.
    private static async Task<Socket> ConnectSlowReaderAsync(GatewayTestServer server)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 2048, NoDelay = true };
        await socket.ConnectAsync(server.Server.EndPoint);
        string key = WebSocketHandshake.CreateClientKey();
        var request = new System.Buffers.ArrayBufferWriter<byte>();
        WebSocketHandshake.WriteClientRequest(request, $"127.0.0.1:{server.Server.Port}", "/test", key, null);
        await socket.SendAsync(request.WrittenMemory);
        var head = new List<byte>();
        var one = new byte[1];
        while (!EndsWithBlankLine(head))
        {
            Assert.Equal(1, await socket.ReceiveAsync(one));
            head.Add(one[0]);
        }
        Assert.StartsWith("HTTP/1.1 101", Encoding.ASCII.GetString([.. head]));
        await socket.SendAsync(RawWebSocketClient.BuildFrame(WebSocketOpcode.Text, """{"event":"join","data":{"room":"big"}}"""u8));
        return socket;
    }

    private static bool EndsWithBlankLine(List<byte> bytes) =>
        bytes.Count >= 4 && bytes[^4] == '\r' && bytes[^3] == '\n' && bytes[^2] == '\r' && bytes[^1] == '\n';

    private static async Task<bool> WaitForClosedAsync(Socket socket)
    {
        var buffer = new byte[64 * 1024];
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            while (await socket.ReceiveAsync(buffer, SocketFlags.None, cts.Token) > 0) { }
            return true;
        }
        catch (SocketException)
        {
            return true; // reset: closed all the same
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
