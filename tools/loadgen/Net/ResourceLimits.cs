using System.Runtime.InteropServices;

namespace FastRealtime.LoadGen.Net;

/// <summary>Raises RLIMIT_NOFILE so tens of thousands of sockets fit in one process (Linux/macOS; best effort).</summary>
public static partial class ResourceLimits
{
    private const int RlimitNofileLinux = 7;
    private const int RlimitNofileMac = 8;

    [StructLayout(LayoutKind.Sequential)]
    private struct RLimit
    {
        public ulong Current;
        public ulong Maximum;
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int getrlimit(int resource, out RLimit limit);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int setrlimit(int resource, in RLimit limit);

    /// <summary>Raises the soft limit to at least <paramref name="wanted"/> descriptors: up to the hard limit, and past
    /// it when the process is allowed to (root). Returns the soft limit in force afterwards, or -1 if unknown.</summary>
    public static long TryRaiseOpenFileLimit(long wanted)
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS()) return -1;
        int resource = OperatingSystem.IsLinux() ? RlimitNofileLinux : RlimitNofileMac;
        try
        {
            if (getrlimit(resource, out RLimit limit) != 0) return -1;
            if (limit.Current >= (ulong)wanted) return (long)limit.Current;
            var raised = new RLimit { Current = Math.Max((ulong)wanted, limit.Current), Maximum = Math.Max((ulong)wanted, limit.Maximum) };
            if (setrlimit(resource, raised) != 0)
            {
                raised = new RLimit { Current = limit.Maximum, Maximum = limit.Maximum };
                if (setrlimit(resource, raised) != 0) return (long)limit.Current;
            }
            return getrlimit(resource, out limit) == 0 ? (long)limit.Current : -1;
        }
        catch (DllNotFoundException)
        {
            return -1;
        }
    }
}
