using System.Runtime.InteropServices;

namespace FastRealtime.LoadGen.Measurement;

/// <summary>
/// A 64-bit counter incremented from many threads: one cache-line-padded cell per processor shard, so hot
/// counters (sent, received) do not bounce one cache line between cores at a million increments per second.
/// </summary>
public sealed class StripedCounter
{
    [StructLayout(LayoutKind.Explicit, Size = 128)]
    private struct PaddedCell
    {
        [FieldOffset(64)] public long Value;
    }

    private readonly PaddedCell[] _cells = new PaddedCell[Math.Max(1, Environment.ProcessorCount)];

    public void Add(long delta)
    {
        int shard = (int)((uint)Thread.GetCurrentProcessorId() % (uint)_cells.Length);
        Interlocked.Add(ref _cells[shard].Value, delta);
    }

    public void Increment() => Add(1);

    public long Value
    {
        get
        {
            long sum = 0;
            for (int i = 0; i < _cells.Length; i++) sum += Volatile.Read(ref _cells[i].Value);
            return sum;
        }
    }
}
