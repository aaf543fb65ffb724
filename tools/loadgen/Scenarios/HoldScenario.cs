using System.Buffers;
using FastRealtime.LoadGen.Measurement;
using FastRealtime.LoadGen.Net;
using FastRealtime.LoadGen.Options;
using FastRealtime.LoadGen.Reporting;
using FastRealtime.Transport.WebSockets;

namespace FastRealtime.LoadGen.Scenarios;

/// <summary>
/// Opens N idle connections and holds them for the duration, answering the server's pings. Idle connections wait
/// with a zero-byte receive and hold no buffer. Reports memory per connection: the server's (VmRSS of
/// --server-pid before and after) and the load generator's own.
/// </summary>
/// <remarks>
/// The server's baseline is taken after a few warm-up connections (held too, not counted): a server's first
/// handshake loads code and libraries (JIT, TLS/SHA-1 natives) worth megabytes, which is not memory per connection.
/// </remarks>
public static class HoldScenario
{
    private const int WarmupConnections = 100;

    public static async Task<LoadResult> RunAsync(LoadOptions options, CancellationToken ct, Action<PerSecondSample>? progress = null)
    {
        await using var run = new ScenarioRun(options, progress);
        run.Sampler.InWarmup = false;
        var opener = new ConnectionOpener(options, run.Metrics);
        var listener = new CountingListener(run.Metrics);

        int warmupCount = Math.Min(WarmupConnections, options.Connections);
        IClientConnection[] warm = (await opener.OpenAsync(warmupCount, _ => options.Url.PathAndQuery, ct, releaseBufferWhenIdle: true).ConfigureAwait(false))
            .Where(c => c is not null).ToArray()!;
        Task[] warmLoops = warm.Select(c => c.RunAsync(listener, releaseBufferWhenIdle: true)).ToArray();
        await Task.Delay(TimeSpan.FromSeconds(1), ct).ConfigureAwait(false);

        long? serverBefore = ProcessMemory.ReadRssBytes(options.ServerPid);
        long selfBefore = ProcessMemory.SelfRssAfterGc();
        IClientConnection[] open = (await opener.OpenAsync(options.Connections, _ => options.Url.PathAndQuery, ct, releaseBufferWhenIdle: true).ConfigureAwait(false))
            .Where(c => c is not null).ToArray()!;
        Task[] loops = open.Select(c => c.RunAsync(listener, releaseBufferWhenIdle: true)).ToArray();

        run.BeginTraffic();
        await run.RunMainPhaseAsync(() => true, ct).ConfigureAwait(false);
        long? serverAfter = ProcessMemory.ReadRssBytes(options.ServerPid);
        long selfAfter = ProcessMemory.SelfRssAfterGc();
        int stillOpen = open.Count(c => c.End == ConnectionEnd.None);
        await EchoScenario.CloseAllAsync(open, loops, run.Metrics).ConfigureAwait(false);
        await EchoScenario.CloseAllAsync(warm, warmLoops, run.Metrics).ConfigureAwait(false);

        var extra = new SortedDictionary<string, double>(StringComparer.Ordinal)
        {
            ["heldToEnd"] = stillOpen,
            ["warmupConnections"] = warm.Length,
            ["loadgenRssBeforeBytes"] = selfBefore,
            ["loadgenRssAfterBytes"] = selfAfter,
            ["loadgenBytesPerConnection"] = open.Length > 0 ? (double)(selfAfter - selfBefore) / open.Length : 0,
        };
        if (serverBefore is { } before && serverAfter is { } after)
        {
            extra["serverRssBeforeBytes"] = before;
            extra["serverRssAfterBytes"] = after;
            extra["serverBytesPerConnection"] = open.Length > 0 ? (double)(after - before) / open.Length : 0;
        }
        return await run.BuildResultAsync("hold", open.Length, extra).ConfigureAwait(false);
    }

    /// <summary>Held connections expect no data messages; any that arrive are counted as received.</summary>
    private sealed class CountingListener(RunMetrics metrics) : IConnectionListener
    {
        public void OnMessage(WebSocketMessageKind kind, in ReadOnlySequence<byte> payload) => metrics.Received.Increment();
        public void OnBatchEnd() { }
    }
}
