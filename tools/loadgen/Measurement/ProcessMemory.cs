using System.Globalization;

namespace FastRealtime.LoadGen.Measurement;

/// <summary>Resident set sizes from /proc (Linux); null where unavailable.</summary>
public static class ProcessMemory
{
    public static long? ReadRssBytes(int? pid)
    {
        if (pid is null) return null;
        try
        {
            foreach (string line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (!line.StartsWith("VmRSS:", StringComparison.Ordinal)) continue;
                string[] parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                return long.Parse(parts[1], CultureInfo.InvariantCulture) * 1024; // reported in kB
            }
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return null;
    }

    /// <summary>This process's RSS after a full collection, so garbage does not count as per-connection memory.</summary>
    public static long SelfRssAfterGc()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        return ReadRssBytes(Environment.ProcessId) ?? Environment.WorkingSet;
    }
}
