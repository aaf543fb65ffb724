using System.Diagnostics;

namespace FastRealtime.LoadGen.Scenarios;

/// <summary>A connection that sends on a fixed schedule.</summary>
internal interface IPacedSender
{
    /// <summary>Intended send time (Stopwatch ticks) of the next message; owned by the pacer.</summary>
    long NextIntended { get; set; }

    bool HasQuota { get; }

    /// <summary>Sends one message that was due at <paramref name="intended"/>; false when the window is full.</summary>
    ValueTask<bool> TrySendPacedAsync(long intended);
}

/// <summary>
/// Drives fixed-rate sends for many connections from a few tasks (one per core), never a timer per connection.
/// Each message has an intended send time on a fixed schedule; when the sender falls behind (server stall, full
/// window) the backlog is sent as soon as possible but keeps its intended times, which is what makes the latency
/// measured from them free of coordinated omission (Gil Tene; wrk2 does the same).
/// </summary>
internal static class Pacer
{
    public static Task RunAsync(IReadOnlyList<IPacedSender> senders, double totalRate, Func<bool> stopping)
    {
        if (senders.Count == 0) return Task.CompletedTask;
        long interval = Math.Max(1, (long)(Stopwatch.Frequency * senders.Count / totalRate));
        long start = Stopwatch.GetTimestamp();
        for (int i = 0; i < senders.Count; i++) senders[i].NextIntended = start + interval * i / senders.Count;
        int pacers = Math.Min(Environment.ProcessorCount, senders.Count);
        var tasks = new Task[pacers];
        for (int p = 0; p < pacers; p++)
        {
            var own = new List<IPacedSender>();
            for (int i = p; i < senders.Count; i += pacers) own.Add(senders[i]);
            tasks[p] = Task.Run(() => PaceAsync(own, interval, stopping));
        }
        return Task.WhenAll(tasks);
    }

    private static async Task PaceAsync(List<IPacedSender> senders, long interval, Func<bool> stopping)
    {
        long oneMillisecond = Stopwatch.Frequency / 1000;
        while (!stopping())
        {
            long now = Stopwatch.GetTimestamp();
            long earliest = long.MaxValue;
            bool anyQuota = false;
            foreach (IPacedSender sender in senders)
            {
                while (sender.HasQuota && sender.NextIntended <= now && !stopping())
                {
                    if (!await sender.TrySendPacedAsync(sender.NextIntended).ConfigureAwait(false))
                    {
                        earliest = Math.Min(earliest, now + oneMillisecond); // window full: look again soon
                        break;
                    }
                    sender.NextIntended += interval;
                }
                anyQuota |= sender.HasQuota;
                if (sender.HasQuota) earliest = Math.Min(earliest, sender.NextIntended);
            }
            if (!anyQuota) return;
            long wait = earliest - Stopwatch.GetTimestamp();
            if (wait >= oneMillisecond) await Task.Delay(TimeSpan.FromTicks(wait * TimeSpan.TicksPerSecond / Stopwatch.Frequency)).ConfigureAwait(false);
            else if (wait > 0) await Task.Yield();
        }
    }
}
