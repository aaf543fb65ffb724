using FastRealtime.LoadGen.Measurement;
using FastRealtime.LoadGen.Options;
using FastRealtime.LoadGen.Reporting;

namespace FastRealtime.LoadGen.Scenarios;

/// <summary>
/// Capacity search: runs echo or broadcast for --duration per step, multiplying connections (or rate) by
/// --ramp-factor each step, until a --slo percentile or the --max-error-rate is broken. The knee is the last step
/// that held: the capacity figure at that latency target.
/// </summary>
public static class RampScenario
{
    public static async Task<LoadResult> RunAsync(LoadOptions options, CancellationToken ct, Action<PerSecondSample>? progress = null)
    {
        var steps = new List<RampStep>();
        var series = new List<PerSecondSample>();
        LoadResult? knee = null, last = null;
        for (int step = 0; step < options.RampSteps && !ct.IsCancellationRequested; step++)
        {
            double scale = Math.Pow(options.RampFactor, step);
            LoadOptions stepOptions = options.RampBy == RampDimension.Connections
                ? options with { Connections = Math.Max(1, (int)Math.Round(options.Connections * scale)) }
                : options with { Rate = options.Rate!.Value * scale };
            int offset = series.Count;
            LoadResult result = await ScenarioCatalog.RunAsync(options.RampScenario, stepOptions, ct,
                progress is null ? null : s => progress(s with { Second = s.Second + offset })).ConfigureAwait(false);
            series.AddRange(result.PerSecond.Select(s => s with { Second = s.Second + offset }));
            string? brokenBy = Check(result, options);
            steps.Add(new RampStep(step + 1, stepOptions.Connections, stepOptions.Rate, result.ThroughputPerSec, result.Latency, result.TotalErrors, result.Sent, brokenBy is null, brokenBy));
            last = result;
            if (brokenBy is not null) break;
            knee = result;
        }

        LoadResult basis = knee ?? last!;
        var extra = new SortedDictionary<string, double>(StringComparer.Ordinal) { ["stepsRun"] = steps.Count, ["kneeFound"] = knee is null ? 0 : 1 };
        if (knee is not null)
        {
            RampStep kneeStep = steps.Last(s => s.Passed);
            extra["kneeStep"] = kneeStep.Step;
            extra["kneeConnections"] = kneeStep.Connections;
            extra["kneeThroughputPerSec"] = kneeStep.ThroughputPerSec;
            if (kneeStep.Rate is { } rate) extra["kneeRate"] = rate;
        }
        return new LoadResult
        {
            Scenario = "ramp",
            Parameters = options,
            Connections = basis.Connections,
            Sent = basis.Sent,
            Received = basis.Received,
            ThroughputPerSec = basis.ThroughputPerSec,
            MeasuredSeconds = basis.MeasuredSeconds,
            Latency = basis.Latency,
            Histogram = basis.Histogram,
            Errors = basis.Errors,
            PerSecond = series,
            Extra = extra,
            RampSteps = steps,
        };
    }

    /// <summary>Which bound a step broke, or null when it held.</summary>
    internal static string? Check(LoadResult result, LoadOptions options)
    {
        foreach (SloTarget slo in options.Slo)
        {
            double ms = result.Histogram.GetValueAtPercentile(slo.Percentile) / 1e6;
            if (ms > slo.Threshold.TotalMilliseconds) return $"{slo} (measured {ms:0.###}ms)";
        }
        double errorRate = (double)result.TotalErrors / Math.Max(1, result.Sent + result.TotalErrors);
        if (errorRate > options.MaxErrorRate) return $"error rate {errorRate:P2}";
        if (result.Received == 0) return "nothing received";
        return null;
    }
}
