namespace FastRealtime.LoadGen.Measurement;

/// <summary>
/// Once a second turns the cumulative metrics into a <see cref="PerSecondSample"/> and hands it to the progress sink.
/// One sampler task per run; it owns its snapshots, so no state is shared with the writers except the metrics.
/// </summary>
public sealed class MetricsSampler
{
    private readonly RunMetrics _metrics;
    private readonly Action<PerSecondSample>? _onSample;
    private readonly List<PerSecondSample> _samples = [];
    private MetricsSnapshot _previous = new();
    private MetricsSnapshot _current = new();
    private readonly LatencyHistogram _interval = new();
    private int _second;

    public MetricsSampler(RunMetrics metrics, Action<PerSecondSample>? onSample)
    {
        _metrics = metrics;
        _onSample = onSample;
        _previous.Capture(metrics);
    }

    /// <summary>True while figures still belong to the warm-up; the sample is marked so and excluded from totals.</summary>
    public bool InWarmup { get; set; }

    public IReadOnlyList<PerSecondSample> Samples
    {
        get { lock (_samples) return _samples.ToArray(); }
    }

    public async Task RunAsync(CancellationToken ct)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        try
        {
            while (await timer.WaitForNextTickAsync(ct)) SampleNow();
        }
        catch (OperationCanceledException) { }
    }

    /// <summary>Takes a sample immediately (also used for the partial last second).</summary>
    public void SampleNow()
    {
        _current.Capture(_metrics);
        var (sent, received, errors, seconds) = _current.Since(_previous, _interval);
        (_previous, _current) = (_current, _previous);
        if (seconds <= 0.05) return;
        var sample = new PerSecondSample(
            ++_second, InWarmup, _metrics.OpenConnections, sent, received, received / seconds,
            _interval.GetValueAtPercentile(50) / 1e6, _interval.GetValueAtPercentile(99) / 1e6, _interval.Max / 1e6, errors);
        lock (_samples) _samples.Add(sample);
        _onSample?.Invoke(sample);
    }
}
