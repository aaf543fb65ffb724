namespace FastRealtime.LoadGen.Measurement;

/// <summary>The cumulative figures at one instant; the difference of two snapshots describes the time between them.</summary>
public sealed class MetricsSnapshot
{
    public LatencyHistogram Histogram { get; } = new();
    public long Sent { get; private set; }
    public long Received { get; private set; }
    public long Errors { get; private set; }
    public long Timestamp { get; private set; }

    public void Capture(RunMetrics metrics)
    {
        Timestamp = System.Diagnostics.Stopwatch.GetTimestamp();
        metrics.Latency.Snapshot(Histogram);
        Sent = metrics.Sent.Value;
        Received = metrics.Received.Value;
        Errors = metrics.Errors.Total;
    }

    /// <summary>This snapshot minus <paramref name="earlier"/>, into <paramref name="interval"/>'s histogram.</summary>
    public (long Sent, long Received, long Errors, double Seconds) Since(MetricsSnapshot earlier, LatencyHistogram interval)
    {
        interval.CopyFrom(Histogram);
        interval.Subtract(earlier.Histogram);
        double seconds = System.Diagnostics.Stopwatch.GetElapsedTime(earlier.Timestamp, Timestamp).TotalSeconds;
        return (Sent - earlier.Sent, Received - earlier.Received, Errors - earlier.Errors, seconds);
    }
}
