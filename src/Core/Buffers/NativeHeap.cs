using System.Runtime.InteropServices;

namespace FastRealtime.Core.Buffers;

/// <summary>Hands the C heap's free pages back to the OS where the C library can (glibc's <c>malloc_trim</c>).</summary>
/// <remarks>
/// glibc returns memory only from the top of each malloc arena; space freed below a live block stays resident.
/// The runtime mallocs its own scratch memory (the JIT's 64 KiB slabs, among others), so after a burst of code
/// paths run for the first time an idle server keeps megabytes of freed native memory until it is trimmed.
/// Elsewhere (musl, macOS, Windows) there is no such call and <see cref="Trim"/> does nothing.
/// </remarks>
internal static partial class NativeHeap
{
    private static bool s_unavailable = !OperatingSystem.IsLinux();

    /// <summary>Returns the free pages of every arena to the OS; false when this C library has no way to.</summary>
    public static bool Trim()
    {
        if (Volatile.Read(ref s_unavailable)) return false;
        try
        {
            malloc_trim(0);
            return true;
        }
        catch (Exception ex) when (ex is EntryPointNotFoundException or DllNotFoundException)
        {
            Volatile.Write(ref s_unavailable, true); // musl: no malloc_trim; ask once
            return false;
        }
    }

    [LibraryImport("libc")]
    private static partial int malloc_trim(nuint pad);
}
