using FastRealtime.LoadGen.Chat;
using FastRealtime.LoadGen.Measurement;
using FastRealtime.LoadGen.Net;
using FastRealtime.LoadGen.Options;
using FastRealtime.LoadGen.Reporting;

namespace FastRealtime.LoadGen.Scenarios;

/// <summary>
/// The chat contract (shared/spec/chat-protocol.md) under load: N users, each with a token minted from --secret,
/// spread over K rooms (user i in room-(i mod K)); each joins its room with <c>chat:join-room</c>, then sends
/// <c>chat:send-message</c> at --rate (total) or as fast as a window of W unacked messages allows, and receives the
/// room's <c>chat:message</c>s. Over Socket.IO (the /chat namespace by default) or the plain JSON protocol
/// (<c>/chat?token=…</c>). Measures ack latency (send → ack, in extra) and delivery latency (the stamp in the text →
/// chat:message at another member: the main latency, as in broadcast); consistency: sent = acked, deliveries =
/// Σ acked(room) × (members(room) − 1), no errors.
/// </summary>
/// <remarks>
/// The server limits each connection's messages per second (Chat:MaxMessagesPerSecond, 20 by default): beyond it,
/// sends are refused with <c>exception</c> and counted as <c>server-exception</c>. For a capacity figure, pace with
/// --rate under N × that limit, or raise the limit on the server.
/// </remarks>
public static class ChatScenario
{
    public const string DefaultNamespace = "/chat";

    /// <summary>Time given to the server to deliver the last chat:user-joined events before anyone sends.</summary>
    private static readonly TimeSpan SettleTime = TimeSpan.FromMilliseconds(200);

    public static async Task<LoadResult> RunAsync(LoadOptions options, CancellationToken ct, Action<PerSecondSample>? progress = null)
    {
        string nameSpace = options.Namespace == "/" ? DefaultNamespace : options.Namespace;
        options = options with { Namespace = nameSpace };
        string[] tokens = Enumerable.Range(0, options.Connections).Select(i => ChatTokens.Mint(options.Secret ?? "", i, options.TokenLifetime)).ToArray();
        bool socketIo = options.Protocol == LoadProtocolKind.SocketIo;

        await using var run = new ScenarioRun(options, progress);
        var opener = new ConnectionOpener(options, run.Metrics);
        IClientConnection?[] connections = await opener.OpenAsync(options.Connections,
            i => socketIo ? options.Url.PathAndQuery : ConnectionOpener.PathWithQuery(options.Url, "token=" + tokens[i]), ct,
            authFor: socketIo ? i => $"{{\"token\":\"{tokens[i]}\"}}" : null).ConfigureAwait(false);

        var shared = new ChatShared
        {
            Metrics = run.Metrics,
            Wire = socketIo ? ChatWire.SocketIo(nameSpace) : ChatWire.Json,
            Rooms = options.Rooms,
            Paced = options.Rate is not null,
            CorrectCoordinatedOmission = options.CorrectCoordinatedOmission,
            AckedPerRoom = new long[options.Rooms],
        };
        long[] quotas = EchoScenario.SplitQuota(options.Messages, connections.Count(c => c is not null));
        var sessions = new List<ChatSession>();
        foreach (var (connection, i) in connections.Select((c, i) => (c, i)))
        {
            if (connection is null) continue;
            int room = i % options.Rooms;
            sessions.Add(new ChatSession(connection, shared, i, room, BroadcastScenario.RoomName(room), options.Size, options.Window, quotas[sessions.Count]));
        }
        Task[] loops = sessions.Select(s => s.Connection.RunAsync(s, releaseBufferWhenIdle: false)).ToArray();

        ChatSession[] members = await JoinAllAsync(sessions, run.Metrics, options.ConnectTimeout, ct).ConfigureAwait(false);
        var membersPerRoom = new long[options.Rooms];
        foreach (ChatSession s in members) membersPerRoom[s.Room]++;
        await Task.Delay(SettleTime, ct).ConfigureAwait(false);

        var ackBaseline = new LatencyHistogram();
        long ackedAtBaseline = 0;
        run.BaselineCaptured = () =>
        {
            shared.AckLatency.Snapshot(ackBaseline);
            ackedAtBaseline = shared.Acked.Value;
        };
        await Pacer.DriveAsync(run, shared, members, ct).ConfigureAwait(false);
        long ExpectedDeliveries() => Enumerable.Range(0, options.Rooms).Sum(r => Volatile.Read(ref shared.AckedPerRoom[r]) * Math.Max(0, membersPerRoom[r] - 1));
        await ScenarioRun.WaitUntilAsync(() => members.All(s => s.Outstanding == 0 || s.Connection.End != ConnectionEnd.None)
            && run.Metrics.Received.Value >= ExpectedDeliveries(), options.DrainTimeout, ct).ConfigureAwait(false);
        long unacked = members.Sum(s => s.Outstanding);
        if (unacked > 0) run.Metrics.Errors.Add("ack-timeout", unacked);
        long expected = ExpectedDeliveries(), delivered = run.Metrics.Received.Value;
        if (delivered < expected) run.Metrics.Errors.Add("missing-deliveries", expected - delivered);
        if (delivered > expected) run.Metrics.Errors.Add("extra-deliveries", delivered - expected);
        await EchoScenario.CloseAllAsync(sessions.Select(s => s.Connection).ToArray(), loops, run.Metrics).ConfigureAwait(false);

        var ackLatency = shared.AckLatency.Snapshot();
        ackLatency.Subtract(ackBaseline);
        long acked = shared.Acked.Value - ackedAtBaseline;
        var extra = new SortedDictionary<string, double>(StringComparer.Ordinal)
        {
            ["users"] = members.Length,
            ["rooms"] = options.Rooms,
            ["acked"] = acked,
            ["deliveries"] = delivered,
            ["expectedDeliveries"] = expected,
        };
        LatencySummary ack = LatencySummary.From(ackLatency);
        (extra["ackLatencyP50Ms"], extra["ackLatencyP90Ms"], extra["ackLatencyP99Ms"], extra["ackLatencyP999Ms"], extra["ackLatencyMaxMs"]) = (ack.P50, ack.P90, ack.P99, ack.P999, ack.Max);
        LoadResult result = await run.BuildResultAsync("chat", members.Length, extra).ConfigureAwait(false);
        if (result.MeasuredSeconds > 0) extra["ackedPerSec"] = acked / result.MeasuredSeconds;
        return result;
    }

    /// <summary>Sends every join, waits for the acks; the users whose join was refused or timed out are left out.</summary>
    private static async Task<ChatSession[]> JoinAllAsync(List<ChatSession> sessions, RunMetrics metrics, TimeSpan timeout, CancellationToken ct)
    {
        foreach (ChatSession s in sessions) s.Join();
        Task all = Task.WhenAll(sessions.Select(s => s.Joined));
        await Task.WhenAny(all, Task.Delay(timeout, ct)).ConfigureAwait(false);
        var joined = new List<ChatSession>();
        foreach (ChatSession s in sessions)
        {
            if (!s.Joined.IsCompleted) metrics.Errors.Add("join-timeout");
            else if (!s.Joined.Result) metrics.Errors.Add("join-refused");
            else joined.Add(s);
        }
        return joined.ToArray();
    }
}
