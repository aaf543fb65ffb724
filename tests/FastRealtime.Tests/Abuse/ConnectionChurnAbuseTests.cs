using System.Net.Sockets;
using FastRealtime.Tests.Infrastructure;
using FastRealtime.Transport.WebSockets;
using Xunit.Abstractions;

namespace FastRealtime.Tests.Abuse;

/// <summary>
/// Connection churn: thousands of upgrades closed politely or reset mid-frame must leave nothing behind
/// (server connection count back to zero, no leaked file descriptors, bounded memory).
/// </summary>
[Collection(AbuseCollection.Name)]
public sealed class ConnectionChurnAbuseTests(ITestOutputHelper output)
{
    private const int Concurrency = 50;
    private const int DescriptorMargin = 20;

    [Fact]
    public async Task ConnectUpgradeClose_20000Cycles_NoDescriptorOrMemoryGrowth()
    {
        await using var abuse = await AbuseCase.StartAsync();
        await RunInBatchesAsync(Concurrency, Concurrency, _ => CycleAsync(abuse)); // warm-up: pools, JIT, thread pool
        await abuse.AssertOnlyHealthyClientLeftAsync();
        int descriptorsBefore = ProcessResources.OpenFileDescriptors();
        long memoryBefore = ProcessResources.ManagedBytesAfterFullGc();
        long acceptedBefore = abuse.Server.Server.Metrics.AcceptedConnections;

        await RunInBatchesAsync(20_000, Concurrency, _ => CycleAsync(abuse));

        await abuse.AssertOnlyHealthyClientLeftAsync();
        Assert.Equal(20_000, abuse.Server.Server.Metrics.AcceptedConnections - acceptedBefore);
        await AssertDescriptorsBackAsync(descriptorsBefore);
        long grown = ProcessResources.ManagedBytesAfterFullGc() - memoryBefore;
        output.WriteLine($"managed growth after 20,000 cycles: {grown >> 10} KiB");
        Assert.True(grown < 32L << 20, $"Managed memory grew by {grown >> 20} MB over 20,000 cycles");
        await abuse.AssertServerHealthyAsync();
    }

    [Fact]
    public async Task ResetMidFrame_2000Connections_AllReleasedAndServerHealthy()
    {
        await using var abuse = await AbuseCase.StartAsync();
        int descriptorsBefore = ProcessResources.OpenFileDescriptors();

        await RunInBatchesAsync(2_000, Concurrency, async i =>
        {
            var client = await RawWebSocketClient.ConnectAsync(abuse.Server.EndPoint);
            // Half of a 1,000-byte frame (header declares 1,000, 500 follow), then RST instead of FIN.
            var frame = WireFrame.Build(0x2, new byte[1000]);
            await client.SendRawAsync(frame[..(frame.Length - 500)]);
            client.Socket.LingerState = new LingerOption(true, 0);
            client.Socket.Close();
            await client.DisposeAsync();
        });

        await abuse.AssertServerHealthyAsync();
        await AssertDescriptorsBackAsync(descriptorsBefore);
    }

    [Fact]
    public async Task HalfCloseFirst_2000Connections_ServerClosesEachAndLeaksNoDescriptor()
    {
        await using var abuse = await AbuseCase.StartAsync();
        int descriptorsBefore = ProcessResources.OpenFileDescriptors();

        await RunInBatchesAsync(2_000, Concurrency, async i =>
        {
            await using var client = await RawWebSocketClient.ConnectAsync(abuse.Server.EndPoint);
            client.Socket.Shutdown(SocketShutdown.Send); // our FIN first, as Node's ws does after a close handshake
            Assert.True(await client.WaitForTcpCloseAsync(AbuseCase.Bound), "The server never closed a half-closed connection");
        });

        await abuse.AssertServerHealthyAsync();
        await AssertDescriptorsBackAsync(descriptorsBefore);
    }

    private static async Task CycleAsync(AbuseCase abuse)
    {
        await using var client = await RawWebSocketClient.ConnectAsync(abuse.Server.EndPoint);
        await client.SendCloseAsync(WebSocketCloseCodes.NormalClosure);
        Assert.Equal(WebSocketCloseCodes.NormalClosure, await client.ReceiveCloseAsync());
        Assert.True(await client.WaitForTcpCloseAsync(AbuseCase.Bound));
    }

    private static async Task RunInBatchesAsync(int total, int concurrency, Func<int, Task> work)
    {
        for (int start = 0; start < total; start += concurrency)
        {
            int count = Math.Min(concurrency, total - start);
            await Task.WhenAll(Enumerable.Range(start, count).Select(work)).WaitAsync(AbuseCase.Bound);
        }
    }

    private static Task AssertDescriptorsBackAsync(int before) =>
        Eventually.AssertAsync(() => ProcessResources.OpenFileDescriptors() <= before + DescriptorMargin, AbuseCase.Bound,
            () => $"Open file descriptors {ProcessResources.OpenFileDescriptors()}, {before} before the churn");
}
