namespace FastRealtime.LoadGen.Measurement;

/// <summary>One point of the per-second series (figures for the second that ended at <see cref="Second"/>).</summary>
public sealed record PerSecondSample(
    int Second,
    bool Warmup,
    int Connections,
    long Sent,
    long Received,
    double ThroughputPerSec,
    double P50Ms,
    double P99Ms,
    double MaxMs,
    long Errors);
