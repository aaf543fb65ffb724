using System.Diagnostics;

namespace FastRealtime.LoadGen.Measurement;

/// <summary>
/// The live figures of one run, written by every connection without locks and read by the once-a-second
/// sampler. Latencies are recorded in nanoseconds.
/// </summary>
public sealed class RunMetrics
{
    private static readonly double NanosecondsPerTick = 1_000_000_000.0 / Stopwatch.Frequency;
    private int _openConnections;

    public ShardedLatencyRecorder Latency { get; } = new();
    public StripedCounter Sent { get; } = new();
    public StripedCounter Received { get; } = new();
    public ErrorCounters Errors { get; } = new();

    public int OpenConnections => Volatile.Read(ref _openConnections);

    public void ConnectionOpened() => Interlocked.Increment(ref _openConnections);

    public void ConnectionClosed() => Interlocked.Decrement(ref _openConnections);

    /// <summary>Records the time from <paramref name="startTimestamp"/> (Stopwatch ticks) until now.</summary>
    public void RecordLatencySince(long startTimestamp) => RecordLatencyTicks(ReceiveClock.Now - startTimestamp);

    public void RecordLatencyTicks(long ticks) => Latency.Record(TicksToNanoseconds(ticks));

    public static long TicksToNanoseconds(long ticks) => (long)(ticks * NanosecondsPerTick);
}
