namespace FastRealtime.Tests.Infrastructure;

/// <summary>What the test process holds right now: managed memory after a full collection, open file descriptors.</summary>
public static class ProcessResources
{
    public static long ManagedBytesAfterFullGc()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        return GC.GetTotalMemory(forceFullCollection: true);
    }

    /// <summary>Entries of /proc/self/fd: every socket, file and pipe the process has open (Linux).</summary>
    public static int OpenFileDescriptors() => Directory.GetFileSystemEntries("/proc/self/fd").Length;
}
