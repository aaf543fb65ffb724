using System.Net.Sockets;
using System.Text;
using FastRealtime.Tests.Infrastructure;

namespace FastRealtime.Tests.Abuse;

/// <summary>Attacks on the HTTP request head: slowloris and oversized heads (the upgrade must never happen).</summary>
[Collection(AbuseCollection.Name)]
public sealed class RequestHeadAbuseTests
{
    [Fact]
    public async Task Slowloris_300ConnectionsTricklingHeads_AllClosedByHeaderTimeout()
    {
        await using var abuse = await AbuseCase.StartAsync(s => s.HeaderTimeout = TimeSpan.FromSeconds(2));
        var sockets = new List<Socket>();
        try
        {
            for (int i = 0; i < 300; i++) sockets.Add(await RawWebSocketClient.ConnectTcpAsync(abuse.Server.EndPoint));
            var closed = sockets.Select(WaitForServerCloseAsync).ToArray();
            // A head that never ends, one byte per connection per round: each byte would reset a per-read timer.
            byte[] head = Encoding.ASCII.GetBytes("GET /echo HTTP/1.1\r\nHost: x\r\nX-Slow: " + new string('a', 10_000));
            int position = 0;
            var deadline = DateTime.UtcNow + AbuseCase.Bound;
            while (!closed.All(t => t.IsCompleted) && DateTime.UtcNow < deadline && position < head.Length)
            {
                for (int i = 0; i < sockets.Count; i++)
                    if (!closed[i].IsCompleted) TrySend(sockets[i], head.AsSpan(position, 1));
                position++;
                await Task.Delay(50); // the trickle rate of the attack, not a synchronization
            }
            Assert.True(closed.All(t => t.IsCompleted), $"{closed.Count(t => !t.IsCompleted)} of 300 trickling connections still open after {position} bytes each");
            Assert.DoesNotContain(closed, t => t.Result.Contains(" 101 ", StringComparison.Ordinal));
            await abuse.AssertServerHealthyAsync();
        }
        finally
        {
            foreach (var socket in sockets) socket.Dispose();
        }
    }

    [Fact]
    public async Task Head_2000TinyHeaders_Returns431NeverUpgrades()
    {
        await using var abuse = await AbuseCase.StartAsync();
        var headers = RawHttp.UpgradeHeaders(abuse.Server.EndPoint).Concat(Enumerable.Range(0, 2000).Select(i => $"X-{i}: a")).ToArray();
        var response = await RawHttp.SendAsync(abuse.Server.EndPoint, RawHttp.Request("GET /echo HTTP/1.1", headers));
        Assert.Equal(431, response.StatusCode);
        await abuse.AssertServerHealthyAsync();
    }

    [Fact]
    public async Task Head_One64KiBHeader_Returns431NeverUpgrades()
    {
        await using var abuse = await AbuseCase.StartAsync();
        string[] headers = [.. RawHttp.UpgradeHeaders(abuse.Server.EndPoint), "X-Big: " + new string('b', 64 * 1024)];
        var response = await RawHttp.SendAsync(abuse.Server.EndPoint, RawHttp.Request("GET /echo HTTP/1.1", headers));
        Assert.Equal(431, response.StatusCode);
        await abuse.AssertServerHealthyAsync();
    }

    private static void TrySend(Socket socket, ReadOnlySpan<byte> bytes)
    {
        try
        {
            socket.Send(bytes);
        }
        catch (SocketException) { } // the server already closed it: what we wait for
    }

    // Completes when the server ends the connection; returns whatever it sent first (nothing, or an error response).
    private static async Task<string> WaitForServerCloseAsync(Socket socket)
    {
        var received = new StringBuilder();
        var buffer = new byte[1024];
        try
        {
            int read;
            while ((read = await socket.ReceiveAsync(buffer, SocketFlags.None)) > 0) received.Append(Encoding.ASCII.GetString(buffer, 0, read));
        }
        catch (SocketException) { }
        catch (ObjectDisposedException) { }
        return received.ToString();
    }
}
