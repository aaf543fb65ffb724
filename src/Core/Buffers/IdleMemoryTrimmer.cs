namespace FastRealtime.Core.Buffers;

/// <summary>
/// Gives memory back to the OS after a burst (a connection storm, a broadcast spike) once the server is quiet again.
/// </summary>
/// <remarks>
/// The GC keeps the space a burst of short-lived garbage needed (handshakes leave a few KiB each) committed for the
/// next one; a server holding many idle connections would carry it for hours. When at least
/// <see cref="BurstBytes"/> were allocated since the last trim and the last interval allocated little, one
/// aggressive collection returns it. It never runs while the server is busy, so the hot path never pays for it.
/// </remarks>
public sealed class IdleMemoryTrimmer : IDisposable
{
    private readonly Timer _timer;
    private long _allocatedAtLastTrim = GC.GetTotalAllocatedBytes();
    private long _allocatedAtLastTick = GC.GetTotalAllocatedBytes();

    public IdleMemoryTrimmer(TimeSpan interval, long burstBytes = 8 * 1024 * 1024, long quietBytes = 1024 * 1024)
    {
        BurstBytes = burstBytes;
        QuietBytes = quietBytes;
        _timer = new Timer(static s => ((IdleMemoryTrimmer)s!).Tick(), this, interval, interval);
    }

    public long BurstBytes { get; }

    public long QuietBytes { get; }

    public int Trims { get; private set; }

    private void Tick()
    {
        long allocated = GC.GetTotalAllocatedBytes();
        bool quiet = allocated - _allocatedAtLastTick < QuietBytes;
        _allocatedAtLastTick = allocated;
        if (!quiet || allocated - _allocatedAtLastTrim < BurstBytes) return;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        _allocatedAtLastTrim = GC.GetTotalAllocatedBytes();
        Trims++;
    }

    public void Dispose() => _timer.Dispose();
}
