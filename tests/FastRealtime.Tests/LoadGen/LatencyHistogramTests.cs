using FastRealtime.LoadGen.Measurement;

namespace FastRealtime.Tests.LoadGen;

public class LatencyHistogramTests
{
    private static readonly double[] Percentiles = [0.1, 1, 10, 50, 90, 99, 99.9, 100];

    /// <summary>The exact nearest-rank percentile of a sorted array.</summary>
    private static long Exact(long[] sorted, double percentile) =>
        sorted[Math.Max(0, (int)Math.Ceiling(percentile / 100 * sorted.Length) - 1)];

    private static void AssertWithinThreeDigits(long expected, long actual) =>
        Assert.True(Math.Abs(actual - expected) <= Math.Max(1, expected / 1000.0), $"expected {expected} within 0.1 %, got {actual}");

    [Theory]
    [InlineData(1, 1_000)]
    [InlineData(2, 1_000_000)]
    [InlineData(3, 60_000_000_000)]
    public void GetValueAtPercentile_RandomData_MatchesSortedArrayWithinThreeSignificantDigits(int seed, long maxValue)
    {
        var random = new Random(seed);
        var values = new long[50_000];
        var histogram = new LatencyHistogram();
        for (int i = 0; i < values.Length; i++)
        {
            // Log-uniform, like latencies: most small, a long tail.
            values[i] = (long)Math.Exp(random.NextDouble() * Math.Log(maxValue));
            histogram.Record(values[i]);
        }
        Array.Sort(values);

        Assert.Equal(values.Length, histogram.TotalCount);
        foreach (double p in Percentiles) AssertWithinThreeDigits(Exact(values, p), histogram.GetValueAtPercentile(p));
        AssertWithinThreeDigits(values[^1], histogram.Max);
        AssertWithinThreeDigits(values[0], histogram.Min);
    }

    [Fact]
    public void Record_ValuesBelow2048_AreExact()
    {
        var histogram = new LatencyHistogram();
        for (long v = 0; v < 2048; v++) histogram.Record(v);

        Assert.Equal(1023, histogram.GetValueAtPercentile(50));
        Assert.Equal(2047, histogram.Max);
        Assert.Equal(0, histogram.Min);
    }

    [Fact]
    public void Record_BeyondHighestTrackable_IsClampedNotLost()
    {
        var histogram = new LatencyHistogram();
        histogram.Record(long.MaxValue);
        histogram.Record(-5);

        Assert.Equal(2, histogram.TotalCount);
        AssertWithinThreeDigits(LatencyHistogram.HighestTrackableValue, histogram.Max);
        Assert.Equal(0, histogram.Min);
    }

    [Fact]
    public void Add_TwoHistograms_EqualsOneHistogramOfAllValues()
    {
        var random = new Random(7);
        var a = new LatencyHistogram();
        var b = new LatencyHistogram();
        var all = new LatencyHistogram();
        for (int i = 0; i < 10_000; i++)
        {
            long v = random.NextInt64(1, 10_000_000);
            (i % 3 == 0 ? a : b).Record(v);
            all.Record(v);
        }

        a.Add(b);

        Assert.Equal(all.TotalCount, a.TotalCount);
        foreach (double p in Percentiles) Assert.Equal(all.GetValueAtPercentile(p), a.GetValueAtPercentile(p));
    }

    [Fact]
    public void Subtract_EarlierSnapshot_LeavesOnlyTheInterval()
    {
        var cumulative = new LatencyHistogram();
        for (int i = 0; i < 1000; i++) cumulative.Record(1_000_000);
        var earlier = new LatencyHistogram();
        earlier.CopyFrom(cumulative);
        for (int i = 0; i < 10; i++) cumulative.Record(5_000);

        var interval = new LatencyHistogram();
        interval.CopyFrom(cumulative);
        interval.Subtract(earlier);

        Assert.Equal(10, interval.TotalCount);
        Assert.True(LatencyHistogram.AreEquivalent(5_000, interval.Max));
    }

    [Fact]
    public async Task ShardedRecorder_ManyThreads_SnapshotHoldsEverySample()
    {
        var recorder = new ShardedLatencyRecorder(shardCount: 4);
        await Task.WhenAll(Enumerable.Range(0, 8).Select(t => Task.Run(() =>
        {
            for (int i = 0; i < 100_000; i++) recorder.Record(1 + (i % 1000) * 1000L);
        })));

        LatencyHistogram merged = recorder.Snapshot();

        Assert.Equal(800_000, merged.TotalCount);
        AssertWithinThreeDigits(999_001, merged.Max);
    }

    [Fact]
    public void StripedCounter_ConcurrentAdds_SumsExactly()
    {
        var counter = new StripedCounter();
        Parallel.For(0, 64, _ =>
        {
            for (int i = 0; i < 10_000; i++) counter.Increment();
        });

        Assert.Equal(640_000, counter.Value);
    }
}
