using System.Diagnostics;

namespace FastRealtime.LoadGen.Scenarios;

/// <summary>A connection that sends on a fixed schedule.</summary>
internal interface IPacedSender
{
    /// <summary>Intended send time (Stopwatch ticks) of the next message; owned by the pacer.</summary>
    long NextIntended { get; set; }

    bool HasQuota { get; }

    /// <summary>Unpaced start: sends what the window allows; answers keep it full from then on.</summary>
    void Start();

    /// <summary>Sends one message that was due at <paramref name="intended"/>; false when the window is full.</summary>
    bool TrySendPaced(long intended);
}

/// <summary>
/// Drives fixed-rate sends for many connections from a few tasks (one per core), never a timer per connection.
/// Each message has an intended send time on a fixed schedule; when the sender falls behind (server stall, full
/// window) the backlog is sent as soon as possible but keeps its intended times, which is what makes the latency
/// measured from them free of coordinated omission (Gil Tene; wrk2 does the same).
/// </summary>
internal static class Pacer
{
    /// <summary>
    /// The traffic phase every sending scenario shares: from <see cref="ScenarioRun.BeginTraffic"/>, paced at --rate or
    /// unpaced (each sender started), through the main phase (duration or until every quota is spent), to the moment
    /// sending stops. Draining what is still in flight is the scenario's.
    /// </summary>
    public static async Task DriveAsync(ScenarioRun run, DriveShared shared, IReadOnlyList<IPacedSender> senders, CancellationToken ct)
    {
        run.BeginTraffic();
        // No connection opened (or joined): waiting out --duration would only delay the report of why.
        if (senders.Count == 0) return;
        Task pacing = Task.CompletedTask;
        if (shared.Paced) pacing = RunAsync(senders, run.Options.Rate!.Value, () => shared.Stopping);
        else foreach (IPacedSender s in senders) s.Start();
        await run.RunMainPhaseAsync(() => senders.All(s => !s.HasQuota), ct).ConfigureAwait(false);
        shared.Stopping = true;
        await pacing.ConfigureAwait(false);
    }

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
            // A dedicated thread, not the pool: .NET timers here fire ~10 ms late (Task.Delay(1) ≈ 9 ms was measured),
            // far too coarse for a schedule of a few ms; Thread.Sleep(1) is ~1-2 ms and a yield is microseconds.
            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var thread = new Thread(() =>
            {
                try { Pace(own, interval, stopping); done.SetResult(); }
                catch (Exception e) { done.SetException(e); }
            }) { IsBackground = true, Name = $"loadgen-pacer-{p}" };
            thread.Start();
            tasks[p] = done.Task;
        }
        return Task.WhenAll(tasks);
    }

    private static void Pace(List<IPacedSender> senders, long interval, Func<bool> stopping)
    {
        long oneMillisecond = Stopwatch.Frequency / 1000;
        int idleRounds = 0;
        while (!stopping())
        {
            long now = Stopwatch.GetTimestamp();
            long earliest = long.MaxValue;
            bool anyQuota = false, sentAny = false;
            foreach (IPacedSender sender in senders)
            {
                while (sender.HasQuota && sender.NextIntended <= now && !stopping())
                {
                    if (!sender.TrySendPaced(sender.NextIntended)) break; // window full: the server is behind; look again next round
                    sentAny = true;
                    sender.NextIntended += interval;
                }
                if (!sender.HasQuota) continue;
                anyQuota = true;
                earliest = Math.Min(earliest, sender.NextIntended);
            }
            if (!anyQuota) return;
            idleRounds = sentAny ? 0 : idleRounds + 1;
            // Yield while a send is due within a millisecond (or a window has just filled); sleep otherwise,
            // so an idle pacer costs no CPU the server could use.
            long wait = earliest - Stopwatch.GetTimestamp();
            if (wait > oneMillisecond || idleRounds > 200) Thread.Sleep(1);
            else if (!Thread.Yield()) Thread.SpinWait(20);
        }
    }
}
