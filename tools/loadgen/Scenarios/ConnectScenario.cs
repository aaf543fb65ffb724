using System.Diagnostics;
using FastRealtime.LoadGen.Measurement;
using FastRealtime.LoadGen.Net;
using FastRealtime.LoadGen.Options;
using FastRealtime.LoadGen.Reporting;

namespace FastRealtime.LoadGen.Scenarios;

/// <summary>
/// Connection storm: N handshakes (or --messages attempts) as fast as --connect concurrency allows, or at --rate
/// attempts/s; optionally closing each right after its handshake. Latency is TCP connect + handshake (from the
/// intended start with a rate). Sent = attempts, received = successful handshakes; failures by kind.
/// </summary>
public static class ConnectScenario
{
    public static async Task<LoadResult> RunAsync(LoadOptions options, CancellationToken ct, Action<PerSecondSample>? progress = null)
    {
        await using var run = new ScenarioRun(options, progress);
        run.Sampler.InWarmup = false;
        var opener = new ConnectionOpener(options, run.Metrics);
        IClientConnector connector = await opener.GetConnectorAsync(ct).ConfigureAwait(false);
        long attempts = options.Messages ?? options.Connections;
        long deadline = options.Duration is { } d ? Stopwatch.GetTimestamp() + (long)(d.TotalSeconds * Stopwatch.Frequency) : long.MaxValue;
        long interval = options.Rate is { } rate ? (long)(Stopwatch.Frequency / rate) : 0;
        using var inFlight = new SemaphoreSlim(Math.Max(1, options.ConnectConcurrency));
        var held = new System.Collections.Concurrent.ConcurrentBag<IClientConnection>();
        var pending = new List<Task>();
        run.BeginTraffic();
        long start = Stopwatch.GetTimestamp();

        for (long i = 0; i < attempts && !ct.IsCancellationRequested; i++)
        {
            long intended = start + i * interval;
            long wait = intended - Stopwatch.GetTimestamp();
            if (wait > 0) await Task.Delay(TimeSpan.FromSeconds((double)wait / Stopwatch.Frequency), ct).ConfigureAwait(false);
            if (Stopwatch.GetTimestamp() >= deadline) break;
            await inFlight.WaitAsync(ct).ConfigureAwait(false);
            long index = i;
            long measuredFrom = interval > 0 && options.CorrectCoordinatedOmission ? intended : Stopwatch.GetTimestamp();
            run.Metrics.Sent.Increment();
            pending.Add(Task.Run(async () =>
            {
                try
                {
                    ConnectOutcome outcome = await connector.ConnectAsync(options.Url.PathAndQuery, opener.SourceAddressFor((int)index), ct).ConfigureAwait(false);
                    if (outcome.Connection is not { } connection)
                    {
                        run.Metrics.Errors.Add(outcome.ErrorKind!);
                        return;
                    }
                    run.Metrics.RecordLatencySince(measuredFrom);
                    run.Metrics.Received.Increment();
                    if (options.CloseAfterHandshake) await connection.CloseAsync().ConfigureAwait(false);
                    else
                    {
                        run.Metrics.ConnectionOpened();
                        held.Add(connection);
                    }
                }
                finally
                {
                    inFlight.Release();
                }
            }, CancellationToken.None));
        }
        await Task.WhenAll(pending).ConfigureAwait(false);
        double stormSeconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        long handshakes = run.Metrics.Received.Value;
        await Task.WhenAll(held.Select(c => c.CloseAsync())).ConfigureAwait(false);
        foreach (IClientConnection _ in held) run.Metrics.ConnectionClosed();

        var extra = new SortedDictionary<string, double>(StringComparer.Ordinal)
        {
            ["attempts"] = run.Metrics.Sent.Value,
            ["handshakes"] = handshakes,
            ["handshakesPerSec"] = stormSeconds > 0 ? handshakes / stormSeconds : 0,
        };
        return await run.BuildResultAsync("connect", (int)handshakes, extra).ConfigureAwait(false);
    }
}
