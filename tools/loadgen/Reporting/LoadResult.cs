using FastRealtime.LoadGen.Measurement;
using FastRealtime.LoadGen.Options;

namespace FastRealtime.LoadGen.Reporting;

/// <summary>Latency percentiles in milliseconds.</summary>
public sealed record LatencySummary(double P50, double P90, double P99, double P999, double Max, double Mean, long Count)
{
    public static LatencySummary From(LatencyHistogram h) => new(
        h.GetValueAtPercentile(50) / 1e6, h.GetValueAtPercentile(90) / 1e6, h.GetValueAtPercentile(99) / 1e6,
        h.GetValueAtPercentile(99.9) / 1e6, h.Max / 1e6, h.Mean / 1e6, h.TotalCount);
}

/// <summary>One step of a ramp.</summary>
public sealed record RampStep(int Step, int Connections, double? Rate, double ThroughputPerSec, LatencySummary Latency, long Errors, long Sent, bool Passed, string? BrokenBy);

/// <summary>
/// Everything a run measured (warm-up excluded). Scenario-specific figures live in <see cref="Extra"/>
/// (e.g. "expectedDeliveries", "serverBytesPerConnection").
/// </summary>
public sealed class LoadResult
{
    public required string Scenario { get; init; }
    public required LoadOptions Parameters { get; init; }
    public int Connections { get; init; }
    public long Sent { get; init; }
    public long Received { get; init; }
    public double ThroughputPerSec { get; init; }
    public double MeasuredSeconds { get; init; }
    public required LatencySummary Latency { get; init; }
    public required LatencyHistogram Histogram { get; init; }
    public required SortedDictionary<string, long> Errors { get; init; }
    public required IReadOnlyList<PerSecondSample> PerSecond { get; init; }
    public SortedDictionary<string, double> Extra { get; init; } = new(StringComparer.Ordinal);
    public IReadOnlyList<RampStep> RampSteps { get; init; } = [];

    public long TotalErrors => Errors.Values.Sum();
}
