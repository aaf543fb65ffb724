using System.Net.Sockets;
using FastRealtime.Core.Connections;
using FastRealtime.Tests.Infrastructure;
using Xunit.Abstractions;

namespace FastRealtime.Tests.Abuse;

/// <summary>
/// A client that sends 64 KiB messages to /echo as fast as it can and never reads the echoes: the server's
/// outbound queue for it is bounded, so it is closed (OverflowPolicy.Close) or its echoes are dropped
/// (OverflowPolicy.DropMessage) — its memory never follows the attacker's sending rate.
/// </summary>
[Collection(AbuseCollection.Name)]
public sealed class SlowReaderAbuseTests(ITestOutputHelper output)
{
    private const int MessageSize = 64 * 1024;

    [Theory]
    [InlineData(OverflowPolicy.Close)]
    [InlineData(OverflowPolicy.DropMessage)]
    public async Task FastSenderNeverReading_UnderOverflowPolicy_BoundedAndServerHealthy(OverflowPolicy policy)
    {
        await using var abuse = await AbuseCase.StartAsync(s => s.OverflowPolicy = policy);
        await using var attacker = await RawWebSocketClient.ConnectAsync(abuse.Server.EndPoint);
        var metrics = abuse.Server.Server.Metrics;
        long before = ProcessResources.ManagedBytesAfterFullGc();

        // Under Close the flood ends when the server closes; under DropMessage it runs to 256 MiB, 64x the queue bound.
        var (sent, closed) = await FloodAsync(attacker.Socket, maxBytes: policy == OverflowPolicy.Close ? 1L << 30 : 256L << 20);
        // Measured before the attacker disconnects, while its unread echoes are as many as they will ever be.
        long grown = ProcessResources.ManagedBytesAfterFullGc() - before;
        output.WriteLine($"{policy}: sent {sent >> 20} MiB, closed {closed}, overflow closes {metrics.OverflowCloses}, dropped {metrics.DroppedMessages}, managed growth {grown >> 10} KiB");

        if (policy == OverflowPolicy.Close)
        {
            Assert.True(closed, $"The server accepted {sent >> 20} MiB from a client that never reads without closing it");
            Assert.Equal(1, metrics.OverflowCloses);
        }
        else
        {
            Assert.False(closed);
            Assert.True(metrics.DroppedMessages > 0, "No echo was dropped although the client never reads");
        }
        Assert.True(grown < 64L << 20, $"Managed memory grew by {grown >> 20} MB");
        await attacker.DisposeAsync();
        await abuse.AssertServerHealthyAsync();
    }

    // Sends 64 KiB binary messages until maxBytes, until the server ends the connection, or until a send has
    // been blocked for the bound (the server stopped reading: also a bounded outcome).
    private static async Task<(long Sent, bool Closed)> FloodAsync(Socket socket, long maxBytes)
    {
        var frame = WireFrame.Build(0x2, new byte[MessageSize]);
        long sent = 0;
        while (sent < maxBytes)
        {
            try
            {
                var send = socket.SendAsync(frame, SocketFlags.None);
                if (await Task.WhenAny(send, Task.Delay(AbuseCase.Bound)) != send) return (sent, false);
                sent += await send;
            }
            catch (SocketException)
            {
                return (sent, true);
            }
        }
        return (sent, false);
    }
}
