using FastRealtime.LoadGen.Options;
using FastRealtime.LoadGen.Reporting;
using FastRealtime.LoadGen.Scenarios;
using FastRealtime.Tests.Infrastructure;

namespace FastRealtime.Tests.LoadGen;

/// <summary>
/// The chat scenario for a few seconds against the real host (<c>fastrealtime serve --jwt-secret S</c>, history in a
/// temporary folder, HostProcess's own) over both wires. Figures must be consistent with the contract: every send acked, deliveries =
/// Σ acked(room) × (members(room) − 1) (a room's members except the sender), no errors.
/// </summary>
[Collection(LoadGenEndToEndCollection.Name)]
public sealed class ChatScenarioEndToEndTests
{
    private const string Secret = "loadgen-chat-test-secret-of-32-bytes!";
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);

    [Theory]
    [InlineData(LoadProtocolKind.Json, 1)]
    [InlineData(LoadProtocolKind.SocketIo, 2)]
    public async Task ChatRunAsync_UsersInRooms_SentEqualsAckedAndDeliveriesMatchMembership(LoadProtocolKind protocol, int window)
    {
        await using var host = await HostProcess.StartAsync("--jwt-secret", Secret);
        string path = protocol == LoadProtocolKind.Json ? "/chat" : "/socket.io/?EIO=4&transport=websocket";
        // 7 users in 3 rooms: 3, 2 and 2 members. 70 messages/s in all is 10 per user, under the server's 20/s limit.
        var options = new LoadOptions
        {
            Url = new Uri($"ws://{host.EndPoint}{path}"), Protocol = protocol, Secret = Secret,
            Connections = 7, Rooms = 3, Rate = 70, Window = window, Size = 80, Duration = TimeSpan.FromSeconds(2),
        };

        LoadResult result = await ChatScenario.RunAsync(options, CancellationToken.None).WaitAsync(Limit);

        Assert.True(result.Errors.Count == 0, string.Join(", ", result.Errors.Select(e => $"{e.Key}={e.Value}")) + "\n" + host.Output);
        Assert.Equal(7, result.Connections);
        Assert.True(result.Sent >= 70, $"sent {result.Sent}");
        Assert.Equal(result.Sent, (long)result.Extra["acked"]);
        long acked = (long)result.Extra["acked"];
        long deliveries = (long)result.Extra["deliveries"];
        Assert.Equal((long)result.Extra["expectedDeliveries"], deliveries);
        // Users 0,3,6 share room-0 (2 others each), the other rooms have one other member: between 1 and 2 per message.
        Assert.InRange(deliveries, acked, 2 * acked);
        Assert.True(result.Extra["ackLatencyP50Ms"] > 0 && result.Extra["ackLatencyP50Ms"] <= result.Extra["ackLatencyMaxMs"]);
        Assert.True(result.Latency.P50 > 0 && result.Latency.P50 <= result.Latency.Max);
        // The load generator's own CPU over the measured window, as a share of the CPUs it may use (the compare
        // table flags rows where it was the limit); it did some work, and a share cannot exceed the whole.
        Assert.InRange(result.Extra["loadgenCpuBusy"], 1e-6, 1.05);
    }

    [Fact]
    public async Task ChatRunAsync_WrongSecret_EveryUserRefusedAndCounted()
    {
        await using var host = await HostProcess.StartAsync("--jwt-secret", Secret);
        var options = new LoadOptions
        {
            Url = new Uri($"ws://{host.EndPoint}/chat"), Protocol = LoadProtocolKind.Json, Secret = Secret + "-wrong",
            Connections = 3, Rooms = 1, Rate = 10, Duration = TimeSpan.FromSeconds(1),
        };

        LoadResult result = await ChatScenario.RunAsync(options, CancellationToken.None).WaitAsync(Limit);

        Assert.Equal(0, result.Sent);
        Assert.Equal(new SortedDictionary<string, long> { ["http-401"] = 3 }, result.Errors); // each upgrade refused before the WebSocket opens
    }
}
