namespace FastRealtime.LoadGen.Measurement;

/// <summary>
/// Latency recorder shared by every connection of a run. Connections run as async continuations on pool threads,
/// so instead of one histogram per connection (far too much memory at 100k connections) there is one histogram
/// per processor shard: a sample costs one uncontended interlocked increment, never a lock.
/// </summary>
/// <remarks>
/// The recorder is cumulative and never reset. Per-second and post-warm-up figures are computed by subtracting
/// an earlier <see cref="Snapshot"/>, which removes every swap-and-reset race a resetting design would have.
/// </remarks>
public sealed class ShardedLatencyRecorder
{
    private readonly LatencyHistogram[] _shards;

    public ShardedLatencyRecorder(int? shardCount = null)
    {
        int count = shardCount ?? Math.Max(1, Environment.ProcessorCount);
        _shards = new LatencyHistogram[count];
        for (int i = 0; i < count; i++) _shards[i] = new LatencyHistogram();
    }

    /// <summary>Records a latency in nanoseconds. Safe from any thread.</summary>
    public void Record(long nanoseconds)
    {
        int shard = (int)((uint)Thread.GetCurrentProcessorId() % (uint)_shards.Length);
        _shards[shard].RecordConcurrent(nanoseconds);
    }

    /// <summary>Merges every shard into <paramref name="target"/> (which is overwritten).</summary>
    public void Snapshot(LatencyHistogram target)
    {
        target.CopyFrom(_shards[0]);
        for (int i = 1; i < _shards.Length; i++) target.Add(_shards[i]);
    }

    public LatencyHistogram Snapshot()
    {
        var h = new LatencyHistogram();
        Snapshot(h);
        return h;
    }
}
