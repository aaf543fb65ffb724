using System.Diagnostics;

namespace FastRealtime.LoadGen.Measurement;

/// <summary>
/// When the bytes being handled on this thread were read. The messages of one read arrived together, so they share
/// the read's timestamp: one clock read per read instead of one per message. At ~2.5 million deliveries/s the
/// per-message clock read was 6% of the load generator's CPU, and the load generator must not be what limits a run.
/// </summary>
internal static class ReceiveClock
{
    [ThreadStatic]
    private static long t_readAt;

    /// <summary>The current read's timestamp, or the clock when no read is being handled.</summary>
    public static long Now => t_readAt != 0 ? t_readAt : Stopwatch.GetTimestamp();

    /// <summary>Marks the start of handling one read; dispose the scope when its messages are handled.</summary>
    public static Scope ReadStarted()
    {
        t_readAt = Stopwatch.GetTimestamp();
        return default;
    }

    public readonly ref struct Scope
    {
        public void Dispose() => t_readAt = 0;
    }
}
