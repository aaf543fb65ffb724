using FastRealtime.LoadGen.Options;
using FastRealtime.LoadGen.Reporting;
using FastRealtime.LoadGen.Scenarios;

namespace FastRealtime.Tests.LoadGen;

/// <summary>
/// A server that stalls 500 ms once, under a fixed rate of 200 msg/s ping-pong for 3 s (~600 messages):
/// measured from the intended send times, the ~100 messages that should have gone out during the stall all
/// carry (part of) it, so p99 includes it; measured from the actual send times only one reply is slow, so p99 does not.
/// </summary>
/// <remarks>Runs alone: a 2-core machine busy with other tests cannot keep a 200 msg/s schedule, and the figures
/// compared here are about the schedule. The second and a half after the stall leaves enough replies for the
/// uncorrected p99 to be one of them even when a busy machine halves the rate (2 s were not: the stalled reply was
/// the p99 of 100).</remarks>
[Collection(nameof(CoordinatedOmissionTests))]
public class CoordinatedOmissionTests
{
    private static readonly TimeSpan Stall = TimeSpan.FromMilliseconds(500);

    private static async Task<LoadResult> RunAgainstStallingServerAsync(bool correct)
    {
        await using var server = new TestWebSocketServer(stallAtMessage: 100, stall: Stall);
        var options = new LoadOptions
        {
            Url = server.Url("/echo"), Connections = 1, Window = 1, Rate = 200, Duration = TimeSpan.FromSeconds(3),
            CorrectCoordinatedOmission = correct,
        };
        return await EchoScenario.RunAsync(options, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(60));
    }

    [Fact]
    public async Task EchoRunAsync_FixedRateWithCorrection_P99IncludesTheStall()
    {
        LoadResult result = await RunAgainstStallingServerAsync(correct: true);

        Assert.Empty(result.Errors);
        Assert.True(result.Latency.P99 >= Stall.TotalMilliseconds * 0.5, $"corrected p99 {result.Latency.P99} ms");
        Assert.True(result.Latency.Max >= Stall.TotalMilliseconds * 0.9, $"max {result.Latency.Max} ms");
    }

    [Fact]
    public async Task EchoRunAsync_FixedRateWithoutCorrection_P99HidesTheStall()
    {
        LoadResult result = await RunAgainstStallingServerAsync(correct: false);

        Assert.Empty(result.Errors);
        Assert.True(result.Latency.P99 < Stall.TotalMilliseconds * 0.5, $"uncorrected p99 {result.Latency.P99} ms of {result.Latency.Count}, p90 {result.Latency.P90} sent {result.Sent}");
        Assert.True(result.Latency.Max >= Stall.TotalMilliseconds * 0.9, $"max {result.Latency.Max} ms");
    }
}

[CollectionDefinition(nameof(CoordinatedOmissionTests), DisableParallelization = true)]
public sealed class CoordinatedOmissionCollection;
