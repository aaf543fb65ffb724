using FastRealtime.LoadGen.Measurement;
using FastRealtime.LoadGen.Net;
using FastRealtime.LoadGen.Options;
using FastRealtime.LoadGen.Protocols;
using FastRealtime.LoadGen.Reporting;

namespace FastRealtime.LoadGen.Scenarios;

/// <summary>
/// The broadcast convention every server in the comparison implements: clients connect to
/// <c>/broadcast?room=NAME</c>; every message a client sends there is delivered to every connection of that room,
/// the sender included. K rooms (room-0..room-K-1, connections spread evenly), P publishers among the members.
/// Measures deliveries/s and end-to-end latency; consistency: deliveries = Σ publishes(room) × members(room).
/// With several targets (the nodes of a cluster, <see cref="LoadOptions.Urls"/>) each room's members are spread over
/// the nodes evenly (<see cref="NodeOf"/>), so most deliveries cross nodes; publisher 0 is on the first node.
/// </summary>
public static class BroadcastScenario
{
    /// <summary>Time given to the server to register the last members before anyone publishes.</summary>
    private static readonly TimeSpan SettleTime = TimeSpan.FromMilliseconds(200);

    public static async Task<LoadResult> RunAsync(LoadOptions options, CancellationToken ct, Action<PerSecondSample>? progress = null)
    {
        await using var run = new ScenarioRun(options, progress);
        var opener = new ConnectionOpener(options, run.Metrics);
        IReadOnlyList<Uri> urls = options.Urls;
        IClientConnection?[] connections = await opener.OpenAsync(
            options.Connections, i => ConnectionOpener.PathWithQuery(urls[NodeOf(i, options.Rooms, urls.Count)], $"room={RoomName(i % options.Rooms)}"), ct,
            roomFor: i => RoomName(i % options.Rooms), targetFor: i => NodeOf(i, options.Rooms, urls.Count)).ConfigureAwait(false);

        ILoadProtocol protocol = LoadProtocols.Create(options);
        var shared = new BroadcastShared
        {
            Metrics = run.Metrics,
            Protocol = protocol,
            Paced = options.Rate is not null,
            CorrectCoordinatedOmission = options.CorrectCoordinatedOmission,
            PublishesPerRoom = new long[options.Rooms],
        };
        int publishers = Math.Min(options.Publishers ?? options.Connections, options.Connections);
        long[] quotas = EchoScenario.SplitQuota(options.Messages, publishers);
        var members = new long[options.Rooms];
        var sessions = new List<BroadcastSession>();
        for (int i = 0; i < connections.Length; i++)
        {
            if (connections[i] is not { } c) continue;
            int room = i % options.Rooms;
            members[room]++;
            // Connections i < P publish: with room = i mod K, publishers spread evenly over the rooms.
            PremaskedFrames? frames = i < publishers ? new PremaskedFrames(protocol, "broadcast", RoomName(room), options.Size, shared.Paced ? 1 : options.Window) : null;
            sessions.Add(new BroadcastSession(c, shared, i, room, frames, options.Window, i < publishers ? quotas[i] : 0));
        }
        BroadcastSession[] publishing = sessions.Where(s => s.IsPublisher).ToArray();
        Task[] loops = sessions.Select(s => s.Connection.RunAsync(s, releaseBufferWhenIdle: false)).ToArray();
        await Task.Delay(SettleTime, ct).ConfigureAwait(false);

        await Pacer.DriveAsync(run, shared, publishing, ct).ConfigureAwait(false);
        long Expected() => Enumerable.Range(0, options.Rooms).Sum(r => Volatile.Read(ref shared.PublishesPerRoom[r]) * members[r]);
        await ScenarioRun.WaitUntilAsync(() => run.Metrics.Received.Value >= Expected(), options.DrainTimeout, ct).ConfigureAwait(false);
        long expected = Expected(), delivered = run.Metrics.Received.Value;
        if (delivered < expected) run.Metrics.Errors.Add("missing-deliveries", expected - delivered);
        if (delivered > expected) run.Metrics.Errors.Add("extra-deliveries", delivered - expected);
        await EchoScenario.CloseAllAsync(sessions.Select(s => s.Connection).ToArray(), loops, run.Metrics).ConfigureAwait(false);

        var extra = new SortedDictionary<string, double>(StringComparer.Ordinal)
        {
            ["publishers"] = publishing.Length,
            ["rooms"] = options.Rooms,
            ["nodes"] = urls.Count,
            ["publishes"] = run.Metrics.Sent.Value,
            ["deliveries"] = delivered,
            ["expectedDeliveries"] = expected,
        };
        return await run.BuildResultAsync("broadcast", sessions.Count, extra).ConfigureAwait(false);
    }

    public static string RoomName(int index) => $"room-{index}";

    /// <summary>
    /// The node (index into the targets) of connection <paramref name="index"/>: connection i is in room i mod K, and
    /// the members of one room take the nodes in turn, so every room has members on every node (when it has enough).
    /// </summary>
    public static int NodeOf(int index, int rooms, int nodes) => index / rooms % nodes;
}
