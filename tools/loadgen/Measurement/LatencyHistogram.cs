using System.Numerics;
using System.Runtime.CompilerServices;

namespace FastRealtime.LoadGen.Measurement;

/// <summary>
/// Log-linear histogram in the style of HdrHistogram with 3 significant decimal digits:
/// values are grouped in power-of-two buckets, each split into 1024 linear sub-buckets,
/// so any recorded value is reported within 1/1024 (&lt; 0.1 %) of itself.
/// Values are non-negative integers in whatever unit the caller chooses (loadgen records nanoseconds).
/// </summary>
/// <remarks>
/// Thread safety: <see cref="Record"/> is for a single writer; <see cref="RecordConcurrent"/> may be
/// called by many threads at once (one interlocked add, no lock). Readers may read while writers write:
/// 64-bit reads are atomic, so a concurrent snapshot is merely a few samples early or late.
/// </remarks>
public sealed class LatencyHistogram
{
    private const int SubBucketBits = 11;                       // 2048 sub-buckets ≥ 2 × 10^3 → 3 significant digits
    private const int SubBucketHalfCountMagnitude = SubBucketBits - 1;
    private const int SubBucketHalfCount = 1 << SubBucketHalfCountMagnitude;
    private const long SubBucketMask = (1L << SubBucketBits) - 1;

    /// <summary>Largest value kept exactly; larger values are clamped to it (41 bits of nanoseconds ≈ 36 minutes).</summary>
    public const long HighestTrackableValue = (1L << 41) - 1;

    private static readonly int BucketCount = 64 - BitOperations.LeadingZeroCount((ulong)HighestTrackableValue) - SubBucketBits + 1;
    private static readonly int CountsLength = (BucketCount + 1) << SubBucketHalfCountMagnitude;

    private readonly long[] _counts = new long[CountsLength];

    public void Record(long value)
    {
        _counts[IndexOf(value)]++;
    }

    public void RecordConcurrent(long value)
    {
        Interlocked.Increment(ref _counts[IndexOf(value)]);
    }

    public void Record(long value, long count)
    {
        _counts[IndexOf(value)] += count;
    }

    /// <summary>Total number of recorded values.</summary>
    public long TotalCount
    {
        get
        {
            long total = 0;
            foreach (long c in _counts) total += c;
            return total;
        }
    }

    public void Add(LatencyHistogram other)
    {
        long[] source = other._counts;
        for (int i = 0; i < _counts.Length; i++) _counts[i] += Volatile.Read(ref source[i]);
    }

    /// <summary>Removes <paramref name="other"/>'s counts; used to turn two cumulative snapshots into an interval.</summary>
    public void Subtract(LatencyHistogram other)
    {
        long[] source = other._counts;
        for (int i = 0; i < _counts.Length; i++) _counts[i] -= source[i];
    }

    public void CopyFrom(LatencyHistogram other)
    {
        long[] source = other._counts;
        for (int i = 0; i < _counts.Length; i++) _counts[i] = Volatile.Read(ref source[i]);
    }

    public void Clear() => Array.Clear(_counts);

    /// <summary>
    /// The value at <paramref name="percentile"/> (0..100): the highest value equivalent to the bucket that holds
    /// the ceil(p × count)-th smallest sample, as HdrHistogram reports it. 0 when empty.
    /// </summary>
    public long GetValueAtPercentile(double percentile)
    {
        long total = TotalCount;
        if (total == 0) return 0;
        double clamped = Math.Clamp(percentile, 0, 100);
        long rank = Math.Max(1, (long)Math.Ceiling(clamped / 100.0 * total));
        long seen = 0;
        for (int i = 0; i < _counts.Length; i++)
        {
            seen += _counts[i];
            if (seen >= rank) return HighestEquivalentValue(i);
        }
        return HighestEquivalentValue(_counts.Length - 1);
    }

    public long Max
    {
        get
        {
            for (int i = _counts.Length - 1; i >= 0; i--)
                if (_counts[i] != 0) return HighestEquivalentValue(i);
            return 0;
        }
    }

    public long Min
    {
        get
        {
            for (int i = 0; i < _counts.Length; i++)
                if (_counts[i] != 0) return LowestEquivalentValue(i);
            return 0;
        }
    }

    public double Mean
    {
        get
        {
            long total = 0;
            double sum = 0;
            for (int i = 0; i < _counts.Length; i++)
            {
                if (_counts[i] == 0) continue;
                total += _counts[i];
                sum += (double)_counts[i] * MedianEquivalentValue(i);
            }
            return total == 0 ? 0 : sum / total;
        }
    }

    /// <summary>Non-empty buckets in ascending order as (lowest value, highest value, count); for distribution charts.</summary>
    public IEnumerable<(long From, long To, long Count)> NonEmptyBuckets()
    {
        for (int i = 0; i < _counts.Length; i++)
            if (_counts[i] != 0) yield return (LowestEquivalentValue(i), HighestEquivalentValue(i), _counts[i]);
    }

    /// <summary>True when <paramref name="a"/> and <paramref name="b"/> fall in the same bucket (are indistinguishable).</summary>
    public static bool AreEquivalent(long a, long b) => IndexOf(a) == IndexOf(b);

    public static long HighestEquivalentValueOf(long value) => HighestEquivalentValue(IndexOf(value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int IndexOf(long value)
    {
        if (value < 0) value = 0;
        else if (value > HighestTrackableValue) value = HighestTrackableValue;
        int pow2Ceiling = 64 - BitOperations.LeadingZeroCount((ulong)(value | SubBucketMask));
        int bucketIndex = pow2Ceiling - SubBucketBits;
        int subBucketIndex = (int)(value >> bucketIndex);
        return ((bucketIndex + 1) << SubBucketHalfCountMagnitude) + (subBucketIndex - SubBucketHalfCount);
    }

    private static long LowestEquivalentValue(int index)
    {
        int bucketIndex = (index >> SubBucketHalfCountMagnitude) - 1;
        int subBucketIndex = (index & (SubBucketHalfCount - 1)) + SubBucketHalfCount;
        if (bucketIndex < 0)
        {
            subBucketIndex -= SubBucketHalfCount;
            bucketIndex = 0;
        }
        return (long)subBucketIndex << bucketIndex;
    }

    private static long BucketWidth(int index)
    {
        int bucketIndex = Math.Max(0, (index >> SubBucketHalfCountMagnitude) - 1);
        return 1L << bucketIndex;
    }

    private static long HighestEquivalentValue(int index) => LowestEquivalentValue(index) + BucketWidth(index) - 1;

    private static long MedianEquivalentValue(int index) => LowestEquivalentValue(index) + BucketWidth(index) / 2;
}
