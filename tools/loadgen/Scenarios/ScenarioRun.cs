using System.Diagnostics;
using FastRealtime.LoadGen.Measurement;
using FastRealtime.LoadGen.Options;
using FastRealtime.LoadGen.Reporting;

namespace FastRealtime.LoadGen.Scenarios;

/// <summary>
/// The timeline every scenario shares: sampling each second, warm-up (excluded from figures by subtracting a
/// baseline snapshot), the bounded main phase (duration or message count), the drain, and the result.
/// </summary>
internal sealed class ScenarioRun : IAsyncDisposable
{
    private readonly CancellationTokenSource _samplerStop = new();
    private readonly MetricsSnapshot _baseline = new();
    private readonly Task _samplerTask;
    private long _allocatedAtBaseline;
    private TimeSpan _cpuAtBaseline;

    public ScenarioRun(LoadOptions options, Action<PerSecondSample>? progress)
    {
        Options = options;
        Sampler = new MetricsSampler(Metrics, progress) { InWarmup = options.Warmup > TimeSpan.Zero };
        _baseline.Capture(Metrics);
        _samplerTask = Sampler.RunAsync(_samplerStop.Token);
    }

    public LoadOptions Options { get; }
    public RunMetrics Metrics { get; } = new();
    public MetricsSampler Sampler { get; }

    /// <summary>Runs each time the figures' baseline is taken (traffic start, end of warm-up), so a scenario's own
    /// figures (chat's ack latency) exclude the warm-up too.</summary>
    public Action? BaselineCaptured { get; set; }

    /// <summary>Call right before the first message: figures (and the measured time) start here unless a warm-up follows.</summary>
    public void BeginTraffic() => CaptureBaseline();

    // The load generator's own allocations are measured over the same window as the figures: a client that
    // allocates per message pays for it in GC pauses that show up as server latency.
    private void CaptureBaseline()
    {
        _baseline.Capture(Metrics);
        _allocatedAtBaseline = GC.GetTotalAllocatedBytes(precise: true);
        _cpuAtBaseline = Environment.CpuUsage.TotalTime;
        BaselineCaptured?.Invoke();
    }

    /// <summary>Waits out the warm-up, then the duration or until <paramref name="allSent"/> holds.</summary>
    public async Task RunMainPhaseAsync(Func<bool> allSent, CancellationToken ct)
    {
        try
        {
            if (Options.Warmup > TimeSpan.Zero)
            {
                await Task.Delay(Options.Warmup, ct).ConfigureAwait(false);
                CaptureBaseline();
            }
            Sampler.InWarmup = false;
            if (Options.Duration is { } duration) await Task.Delay(duration, ct).ConfigureAwait(false);
            else await WaitUntilAsync(allSent, Timeout.InfiniteTimeSpan, ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException) { }
    }

    /// <summary>Polls <paramref name="condition"/> every few milliseconds; false on timeout or cancellation.</summary>
    public static async Task<bool> WaitUntilAsync(Func<bool> condition, TimeSpan timeout, CancellationToken ct)
    {
        long start = Stopwatch.GetTimestamp();
        while (!condition())
        {
            if (ct.IsCancellationRequested) return false;
            if (timeout != Timeout.InfiniteTimeSpan && Stopwatch.GetElapsedTime(start) > timeout) return false;
            try { await Task.Delay(5, ct).ConfigureAwait(false); } catch (OperationCanceledException) { return false; }
        }
        return true;
    }

    public async Task StopSamplingAsync()
    {
        if (!_samplerStop.IsCancellationRequested)
        {
            _samplerStop.Cancel();
            await _samplerTask.ConfigureAwait(false);
            Sampler.SampleNow();
        }
    }

    /// <summary>Figures since the end of warm-up.</summary>
    public async Task<LoadResult> BuildResultAsync(string scenario, int connections, SortedDictionary<string, double>? extra = null)
    {
        await StopSamplingAsync().ConfigureAwait(false);
        long allocated = GC.GetTotalAllocatedBytes(precise: true) - _allocatedAtBaseline;
        var end = new MetricsSnapshot();
        end.Capture(Metrics);
        var histogram = new LatencyHistogram();
        var (sent, received, _, seconds) = end.Since(_baseline, histogram);
        extra ??= new SortedDictionary<string, double>(StringComparer.Ordinal);
        long messages = sent + received;
        if (messages > 0) extra["loadgenAllocatedBytesPerMessage"] = (double)allocated / messages;
        // Share of the CPUs this process may use that it kept busy: near 1, the load generator limited the run and
        // the server's figure is a lower bound. ProcessorCount honours the affinity mask (taskset).
        double cpuSeconds = (Environment.CpuUsage.TotalTime - _cpuAtBaseline).TotalSeconds;
        if (seconds > 0) extra["loadgenCpuBusy"] = cpuSeconds / (seconds * Environment.ProcessorCount);
        return new LoadResult
        {
            Scenario = scenario,
            Parameters = Options,
            Connections = connections,
            Sent = sent,
            Received = received,
            MeasuredSeconds = seconds,
            ThroughputPerSec = seconds > 0 ? received / seconds : 0,
            Latency = LatencySummary.From(histogram),
            Histogram = histogram,
            Errors = Metrics.Errors.ToDictionary(),
            PerSecond = Sampler.Samples,
            Extra = extra,
        };
    }

    public async ValueTask DisposeAsync()
    {
        await StopSamplingAsync().ConfigureAwait(false);
        _samplerStop.Dispose();
    }
}
