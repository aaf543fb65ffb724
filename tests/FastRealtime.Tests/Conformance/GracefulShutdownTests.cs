using FastRealtime.Tests.Infrastructure;
using FastRealtime.Transport.WebSockets;

namespace FastRealtime.Tests.Conformance;

/// <summary>
/// Graceful shutdown: stop accepting, close every WebSocket with 1001 Going Away (RFC 6455 §7.4.1), drain, and
/// exit cleanly within the shutdown deadline — for the real host process on SIGTERM and for the in-process server.
/// </summary>
public sealed class GracefulShutdownTests
{
    private static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(5);
    // Upper bound only: the host must be gone by the deadline plus process start-up/tear-down slack.
    private static readonly TimeSpan ExitBound = ShutdownTimeout + TimeSpan.FromSeconds(15);

    [Fact]
    public async Task HostProcess_Sigterm_ClosesEveryClientWith1001AndExitsZero()
    {
        await using var host = await HostProcess.StartAsync("--set", "Server:ShutdownTimeout=00:00:05");
        var clients = await ConnectAsync(host, 3);
        try
        {
            host.Terminate();
            foreach (var client in clients)
            {
                Assert.Equal(WebSocketCloseCodes.GoingAway, await client.ReceiveCloseAsync(ExitBound));
                await client.SendCloseAsync(WebSocketCloseCodes.GoingAway); // complete the close handshake
                Assert.True(await client.WaitForTcpCloseAsync(ExitBound), "the server did not close TCP after the close handshake");
                client.Socket.Dispose(); // our FIN ends the server's lingering close at once
            }
            Assert.True(await host.WaitForExitAsync(ExitBound) == 0, $"The host did not exit 0 in time:\n{host.Output}");
        }
        finally
        {
            foreach (var client in clients) await client.DisposeAsync();
        }
    }

    [Fact]
    public async Task HostProcess_SigtermWithClientsThatNeverAnswerClose_ExitsZeroAtDeadline()
    {
        await using var host = await HostProcess.StartAsync("--set", "Server:ShutdownTimeout=00:00:02", "--set", "Server:CloseTimeout=00:00:30");
        var clients = await ConnectAsync(host, 3);
        try
        {
            host.Terminate();
            foreach (var client in clients) Assert.Equal(WebSocketCloseCodes.GoingAway, await client.ReceiveCloseAsync(ExitBound));
            Assert.True(await host.WaitForExitAsync(ExitBound) == 0, $"The host did not exit 0 in time:\n{host.Output}");
            foreach (var client in clients) Assert.True(await client.WaitForTcpCloseAsync(ExitBound));
        }
        finally
        {
            foreach (var client in clients) await client.DisposeAsync();
        }
    }

    [Fact]
    public async Task InProcess_StopAsync_ClosesClientsWith1001AndRefusesNewConnections()
    {
        var server = TestServer.Start(s => s.ShutdownTimeout = ShutdownTimeout);
        await using var _ = server;
        var clients = new List<RawWebSocketClient>();
        for (int i = 0; i < 3; i++) clients.Add(await RawWebSocketClient.ConnectAsync(server.EndPoint));
        try
        {
            var stopping = server.Server.StopAsync();
            foreach (var client in clients)
            {
                Assert.Equal(WebSocketCloseCodes.GoingAway, await client.ReceiveCloseAsync());
                await client.SendCloseAsync(WebSocketCloseCodes.GoingAway);
                Assert.True(await client.WaitForTcpCloseAsync(ExitBound));
                client.Socket.Dispose();
            }
            await stopping.WaitAsync(ExitBound);
            Assert.Equal(0, server.Server.ConnectionCount);
            await Assert.ThrowsAnyAsync<Exception>(() => RawWebSocketClient.ConnectAsync(server.EndPoint));
        }
        finally
        {
            foreach (var client in clients) await client.DisposeAsync();
        }
    }

    private static async Task<List<RawWebSocketClient>> ConnectAsync(HostProcess host, int count)
    {
        var clients = new List<RawWebSocketClient>();
        for (int i = 0; i < count; i++)
        {
            var client = await RawWebSocketClient.ConnectAsync(host.EndPoint);
            await ServerProbe.AssertEchoesAsync(client, $"client {i}");
            clients.Add(client);
        }
        return clients;
    }
}
