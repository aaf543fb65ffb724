namespace FastRealtime.Chat.ChatApp;

/// <summary>
/// Message ids that sort (ordinal) in sending order: 16 lowercase hex digits of (Unix milliseconds &lt;&lt; 16 | sequence),
/// strictly increasing within the process, and increasing across restarts as long as the clock does.
/// </summary>
internal static class MessageIdGenerator
{
    private static long s_last;

    public static string Next(DateTimeOffset now)
    {
        long candidate = now.ToUnixTimeMilliseconds() << 16;
        long last, next;
        do
        {
            last = Volatile.Read(ref s_last);
            next = Math.Max(candidate, last + 1);
        }
        while (Interlocked.CompareExchange(ref s_last, next, last) != last);
        return next.ToString("x16", System.Globalization.CultureInfo.InvariantCulture);
    }
}
