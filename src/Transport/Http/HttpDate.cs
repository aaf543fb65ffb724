using System.Globalization;
using System.Text;

namespace FastRealtime.Transport.Http;

/// <summary>
/// The "Date: ...\r\n" header line (RFC 9110 §6.6.1, IMF-fixdate), formatted at most once per second.
/// Thread-safe: readers take an immutable snapshot; a racing refresh only formats the same second twice.
/// </summary>
internal static class HttpDate
{
    private sealed class Snapshot(long second, byte[] headerLine)
    {
        public readonly long Second = second;
        public readonly byte[] HeaderLine = headerLine;
    }

    private static volatile Snapshot? s_current;

    internal static ReadOnlySpan<byte> HeaderLine
    {
        get
        {
            DateTimeOffset now = DateTimeOffset.UtcNow;
            long second = now.ToUnixTimeSeconds();
            Snapshot? current = s_current;
            if (current is null || current.Second != second)
            {
                string line = "Date: " + now.ToString("r", CultureInfo.InvariantCulture) + "\r\n";
                current = new Snapshot(second, Encoding.ASCII.GetBytes(line));
                s_current = current;
            }
            return current.HeaderLine;
        }
    }
}
