using System.Net.Sockets;
using Xunit.Abstractions;
using FastRealtime.Tests.Infrastructure;
using FastRealtime.Transport.WebSockets;

namespace FastRealtime.Tests.Abuse;

/// <summary>Attacks with frames after a successful upgrade: garbage, absurd lengths, floods of control frames and fragments.</summary>
[Collection(AbuseCollection.Name)]
public sealed class FrameAbuseTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public async Task RandomBytes_AfterUpgrade_ClosedWith1002(int seed)
    {
        await using var abuse = await AbuseCase.StartAsync();
        await using var attacker = await RawWebSocketClient.ConnectAsync(abuse.Server.EndPoint);
        var garbage = new byte[4096];
        new Random(seed).NextBytes(garbage); // fixed seeds: each first byte has RSV bits, a reserved opcode or no mask bit
        await attacker.SendRawAsync(garbage);
        Assert.Equal(WebSocketCloseCodes.ProtocolError, await attacker.ReceiveCloseAsync());
        Assert.True(await attacker.WaitForTcpCloseAsync(AbuseCase.Bound));
        await attacker.DisposeAsync();
        await abuse.AssertServerHealthyAsync();
    }

    [Fact]
    public async Task Frame_Announcing2Pow63Minus1Bytes_ClosedWith1009AtOnceWithoutBuffering()
    {
        await using var abuse = await AbuseCase.StartAsync();
        long before = ProcessResources.ManagedBytesAfterFullGc();
        var attackers = new List<RawWebSocketClient>();
        try
        {
            for (int i = 0; i < 100; i++)
            {
                var attacker = await RawWebSocketClient.ConnectAsync(abuse.Server.EndPoint);
                attackers.Add(attacker);
                await attacker.SendRawAsync(WireFrame.Header(0x2, long.MaxValue)); // only the 14-byte header, ever
            }
            foreach (var attacker in attackers)
            {
                Assert.Equal(WebSocketCloseCodes.MessageTooBig, await attacker.ReceiveCloseAsync());
                Assert.True(await attacker.WaitForTcpCloseAsync(AbuseCase.Bound));
            }
            Assert.InRange(ProcessResources.ManagedBytesAfterFullGc() - before, long.MinValue, 64L * 1024 * 1024);
        }
        finally
        {
            foreach (var attacker in attackers) await attacker.DisposeAsync();
        }
        await abuse.AssertServerHealthyAsync();
    }

    [Fact]
    public async Task PingFlood_ClientNeverReadsPongs_PongsDroppedAndMemoryBounded()
    {
        await using var abuse = await AbuseCase.StartAsync();
        await using var flooder = await RawWebSocketClient.ConnectAsync(abuse.Server.EndPoint);
        long before = ProcessResources.ManagedBytesAfterFullGc();
        var burst = WireFrame.Concat(Enumerable.Range(0, 4000).Select(_ => WireFrame.Build(0x9, new byte[125])).ToArray());
        bool closedByServer = false;
        for (int i = 0; i < 100 && !closedByServer; i++) // 400,000 pings, 52 MB, never reading a pong
        {
            try
            {
                await flooder.Socket.SendAsync(burst, SocketFlags.None).WaitAsync(AbuseCase.Bound);
            }
            catch (SocketException)
            {
                closedByServer = true;
            }
        }
        long grown = ProcessResources.ManagedBytesAfterFullGc() - before;
        output.WriteLine($"closed by server: {closedByServer}, pongs dropped: {abuse.Server.Server.Metrics.DroppedMessages}, managed growth: {grown / 1024} KiB");
        Assert.True(closedByServer || abuse.Server.Server.Metrics.DroppedMessages > 0,
            "400,000 unread pongs were neither dropped nor ended the connection");
        Assert.True(grown < AbuseCase.MemoryBound, $"Managed memory grew by {grown / 1024 / 1024} MB during the ping flood");
        flooder.Socket.LingerState = new LingerOption(true, 0);
        flooder.Socket.Close();
        await abuse.AssertServerHealthyAsync();
    }

    [Fact]
    public async Task Message_In1MillionOneByteFragments_EchoedOrRefusedWithMemoryBounded()
    {
        await using var abuse = await AbuseCase.StartAsync();
        await using var attacker = await RawWebSocketClient.ConnectAsync(abuse.Server.EndPoint);
        const int count = 1_000_000;
        long before = ProcessResources.ManagedBytesAfterFullGc();
        var stream = OneByteFragments(count, out byte[] payload);
        for (int offset = 0; offset < stream.Length; offset += 1024 * 1024)
            await attacker.Socket.SendAsync(stream.AsMemory(offset, Math.Min(1024 * 1024, stream.Length - offset)), SocketFlags.None);

        var answer = await attacker.ReceiveAsync(AbuseCase.Bound);
        if (answer.Type == ReceivedEventType.Message)
        {
            Assert.Equal(payload, answer.Payload);
        }
        else
        {
            Assert.Equal(ReceivedEventType.Close, answer.Type);
            Assert.Contains(answer.CloseCode, new[] { WebSocketCloseCodes.PolicyViolation, WebSocketCloseCodes.MessageTooBig });
        }
        await attacker.DisposeAsync();
        stream = [];
        long grown = ProcessResources.ManagedBytesAfterFullGc() - before;
        output.WriteLine($"answer: {answer.Type} {answer.CloseCode}, managed growth: {grown / 1024} KiB");
        Assert.True(grown < AbuseCase.MemoryBound, $"Managed memory grew by {grown / 1024 / 1024} MB");
        await abuse.AssertServerHealthyAsync();
    }

    // Frame i: FIN only on the last; opcode binary (0x2) first, continuation (0x0) after; MASK=1, length 1 (0x81);
    // a fixed non-zero mask key; one masked payload byte. 7 bytes per frame, written straight into one buffer.
    private static byte[] OneByteFragments(int count, out byte[] payload)
    {
        payload = new byte[count];
        new Random(7).NextBytes(payload);
        byte[] key = [0x12, 0x34, 0x56, 0x78];
        var stream = new byte[count * 7];
        for (int i = 0; i < count; i++)
        {
            int at = i * 7;
            stream[at] = (byte)((i == count - 1 ? 0x80 : 0x00) | (i == 0 ? 0x2 : 0x0));
            stream[at + 1] = 0x81;
            key.CopyTo(stream, at + 2);
            stream[at + 6] = (byte)(payload[i] ^ key[0]);
        }
        return stream;
    }
}
