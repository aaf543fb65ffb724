using System.Runtime.InteropServices;
using FastRealtime.Core.Buffers;

namespace FastRealtime.Tests.Buffers; // not ".Core": that would shadow FastRealtime.Core for the other test folders

/// <summary>
/// The idle trimmer after a burst: one aggressive collection, then the native passes (finalizer wake + C-heap trim)
/// that give back the runtime's JIT scratch memory and glibc's freed arena pages.
/// </summary>
public sealed class IdleMemoryTrimmerTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Tick_BurstThenQuiet_TrimsAndRunsEveryNativePass()
    {
        // Every tick counts as quiet (the quiet threshold is huge), so the first tick after 1 MiB of garbage trims.
        using var trimmer = new IdleMemoryTrimmer(TimeSpan.FromMilliseconds(20), burstBytes: 1024 * 1024,
            quietBytes: long.MaxValue, nativePassSpacing: TimeSpan.FromMilliseconds(20));
        for (int i = 0; i < 64; i++) GC.KeepAlive(new byte[32 * 1024]);

        var deadline = DateTime.UtcNow + Bound;
        while (trimmer.NativePassesRun < IdleMemoryTrimmer.NativePasses && DateTime.UtcNow < deadline)
            await Task.Delay(20);

        Assert.True(trimmer.Trims >= 1, $"trims: {trimmer.Trims}");
        Assert.True(trimmer.NativePassesRun >= IdleMemoryTrimmer.NativePasses, $"native passes: {trimmer.NativePassesRun}");
    }

    [Fact]
    public async Task Tick_NoBurst_NeverTrims()
    {
        using var trimmer = new IdleMemoryTrimmer(TimeSpan.FromMilliseconds(20), burstBytes: long.MaxValue,
            quietBytes: long.MaxValue, nativePassSpacing: TimeSpan.FromMilliseconds(20));

        await Task.Delay(200); // about ten ticks

        Assert.Equal(0, trimmer.Trims);
        Assert.Equal(0, trimmer.NativePassesRun);
    }

    [Fact]
    public async Task Dispose_DuringNativePasses_StopsThemQuietly()
    {
        // Passes a second apart: the trim's first pass runs, the rest are pending when the trimmer is disposed and
        // must not run; Dispose waits for a pass under way, so none runs once it returned.
        var trimmer = new IdleMemoryTrimmer(TimeSpan.FromMilliseconds(20), burstBytes: 1024 * 1024,
            quietBytes: long.MaxValue, nativePassSpacing: TimeSpan.FromSeconds(1));
        for (int i = 0; i < 64; i++) GC.KeepAlive(new byte[32 * 1024]);
        var deadline = DateTime.UtcNow + Bound;
        while (trimmer.NativePassesRun == 0 && DateTime.UtcNow < deadline)
            await Task.Delay(20);

        trimmer.Dispose();
        int afterDispose = trimmer.NativePassesRun;
        await Task.Delay(TimeSpan.FromSeconds(1.5)); // past the next pass's due time

        Assert.True(afterDispose >= 1, $"native passes before dispose: {afterDispose}");
        Assert.True(trimmer.NativePassesRun == afterDispose, $"passes after dispose: {trimmer.NativePassesRun - afterDispose}");
    }

    [Fact]
    public void Trim_ThisPlatform_ReportsWhetherTheCLibraryCanTrim()
    {
        bool glibc = OperatingSystem.IsLinux() && !RuntimeInformation.RuntimeIdentifier.Contains("musl", StringComparison.Ordinal);

        Assert.Equal(glibc, NativeHeap.Trim());
        Assert.Equal(glibc, NativeHeap.Trim()); // a second call answers the same (musl: asked once, remembered)
    }
}
