using BenchmarkDotNet.Attributes;
using FastRealtime.LoadGen.Measurement;

namespace FastRealtime.Benchmarks.Measurement;

/// <summary>
/// The load generator's latency histogram (tools/loadgen/Measurement): a sample as the receive path records it
/// (plain, interlocked, and through the per-processor shards every connection shares), a percentile query, and the
/// merge the per-second sampler does across shards. Recording must be allocation-free and a few nanoseconds, or the
/// load generator would measure itself.
/// </summary>
[MemoryDiagnoser]
public class LatencyHistogramBenchmarks
{
    private const int Samples = 1024;

    private readonly long[] _values = new long[Samples];
    private LatencyHistogram _histogram = null!;
    private LatencyHistogram _other = null!;
    private LatencyHistogram _merged = null!;
    private ShardedLatencyRecorder _recorder = null!;

    [GlobalSetup]
    public void Setup()
    {
        // Latencies of a loopback run: mostly 20-500 µs, a tail to 50 ms (log-uniform so every bucket range is hit).
        var random = new Random(7);
        for (int i = 0; i < Samples; i++) _values[i] = (long)Math.Exp(random.NextDouble() * (Math.Log(50e6) - Math.Log(20e3)) + Math.Log(20e3));
        _histogram = new LatencyHistogram();
        _other = new LatencyHistogram();
        _merged = new LatencyHistogram();
        _recorder = new ShardedLatencyRecorder();
        foreach (long v in _values)
        {
            _histogram.Record(v);
            _other.Record(v * 2);
        }
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Samples)]
    [ZeroAllocation]
    public LatencyHistogram Record()
    {
        foreach (long v in _values) _histogram.Record(v);
        return _histogram;
    }

    [Benchmark(OperationsPerInvoke = Samples)]
    [ZeroAllocation]
    public LatencyHistogram RecordConcurrent()
    {
        foreach (long v in _values) _histogram.RecordConcurrent(v);
        return _histogram;
    }

    /// <summary>What every received message pays in a run: pick the processor's shard, one interlocked increment.</summary>
    [Benchmark(OperationsPerInvoke = Samples)]
    [ZeroAllocation]
    public ShardedLatencyRecorder RecordSharded()
    {
        foreach (long v in _values) _recorder.Record(v);
        return _recorder;
    }

    /// <summary>One percentile over the whole counts array (the report asks for five, once per run and per second).</summary>
    [Benchmark]
    [ZeroAllocation]
    public long Percentile99() => _histogram.GetValueAtPercentile(99);

    /// <summary>Two histograms into one (the sampler's per-shard merge, each second).</summary>
    [Benchmark]
    [ZeroAllocation]
    public long Merge()
    {
        _merged.CopyFrom(_histogram);
        _merged.Add(_other);
        return _merged.Max;
    }
}
