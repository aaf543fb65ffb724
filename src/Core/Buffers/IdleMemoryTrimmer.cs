namespace FastRealtime.Core.Buffers;

/// <summary>
/// Gives memory back to the OS after a burst (a connection storm, a broadcast spike) once the server is quiet again.
/// </summary>
/// <remarks>
/// The GC keeps the space a burst of short-lived garbage needed (handshakes leave a few KiB each) committed for the
/// next one; a server holding many idle connections would carry it for hours. When at least
/// <see cref="BurstBytes"/> were allocated since the last trim and the last interval allocated little, one
/// aggressive collection returns it. It never runs while the server is busy, so the hot path never pays for it.
/// <para>
/// Native memory needs more than the GC. A burst runs code for the first time, so the JIT compiles (tier 0, then
/// tier 1 in the background) and keeps its freed 64 KiB scratch slabs cached — measured 4.6 MB after 10,000
/// handshakes on two cores, 460 B per connection of a 1 KiB budget. The runtime frees that cache only when the
/// finalizer thread wakes, and only slabs already cached at the previous wake at least 2 s earlier; and glibc
/// keeps freed arena pages resident until <c>malloc_trim</c>. So a trim also wakes the finalizer thread and trims
/// the C heap <see cref="NativePasses"/> times, 2.5 s apart.
/// </para>
/// </remarks>
public sealed class IdleMemoryTrimmer : IDisposable
{
    /// <summary>Three wakes: the first may only start the JIT's 2 s clock, the second ages the cache, the third frees it.</summary>
    internal const int NativePasses = 3;

    /// <summary>More than the JIT's 2 s between cache flushes.</summary>
    internal static readonly TimeSpan DefaultNativePassSpacing = TimeSpan.FromMilliseconds(2500);

    private readonly Timer _timer;
    private readonly Timer _nativeTimer;
    private long _allocatedAtLastTrim = GC.GetTotalAllocatedBytes();
    private long _allocatedAtLastTick = GC.GetTotalAllocatedBytes();
    private int _nativePassesLeft;
    private int _nativePassesRun;
    private readonly Lock _passGate = new();
    private bool _disposed; // under _passGate

    public IdleMemoryTrimmer(TimeSpan interval, long burstBytes = 8 * 1024 * 1024, long quietBytes = 1024 * 1024)
        : this(interval, burstBytes, quietBytes, DefaultNativePassSpacing)
    {
    }

    internal IdleMemoryTrimmer(TimeSpan interval, long burstBytes, long quietBytes, TimeSpan nativePassSpacing)
    {
        BurstBytes = burstBytes;
        QuietBytes = quietBytes;
        NativePassSpacing = nativePassSpacing;
        _nativeTimer = new Timer(static s => ((IdleMemoryTrimmer)s!).NativePass(), this, Timeout.Infinite, Timeout.Infinite);
        _timer = new Timer(static s => ((IdleMemoryTrimmer)s!).Tick(), this, interval, interval);
    }

    public long BurstBytes { get; }

    public long QuietBytes { get; }

    public int Trims { get; private set; }

    internal TimeSpan NativePassSpacing { get; }

    /// <summary>Finalizer wakes and C-heap trims done so far (the passes after each trim).</summary>
    internal int NativePassesRun => Volatile.Read(ref _nativePassesRun);

    private void Tick()
    {
        long allocated = GC.GetTotalAllocatedBytes();
        bool quiet = allocated - _allocatedAtLastTick < QuietBytes;
        _allocatedAtLastTick = allocated;
        if (!quiet || allocated - _allocatedAtLastTrim < BurstBytes) return;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        _allocatedAtLastTrim = GC.GetTotalAllocatedBytes();
        Trims++;
        // A trim during the passes of the previous one restarts the count; the passes are idempotent.
        Volatile.Write(ref _nativePassesLeft, NativePasses);
        NativePass();
    }

    /// <summary>On a timer thread: one wake of the finalizer thread (the runtime's housekeeping) and one C-heap trim.</summary>
    /// <remarks>
    /// Passes and <see cref="Dispose"/> share a lock, so once Dispose returns no pass runs: a timer callback already
    /// queued (Timer.Dispose does not wait for it), or a trim's first pass, finds the trimmer disposed and stops.
    /// </remarks>
    private void NativePass()
    {
        lock (_passGate)
        {
            if (_disposed) return;
            GC.WaitForPendingFinalizers();
            NativeHeap.Trim();
            Interlocked.Increment(ref _nativePassesRun);
            if (Interlocked.Decrement(ref _nativePassesLeft) <= 0) return;
            _nativeTimer.Change(NativePassSpacing, Timeout.InfiniteTimeSpan); // not disposed: Dispose takes the lock first
        }
    }

    public void Dispose()
    {
        lock (_passGate) _disposed = true;
        _timer.Dispose();
        _nativeTimer.Dispose();
    }
}
