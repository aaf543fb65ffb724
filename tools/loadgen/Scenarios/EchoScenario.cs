using FastRealtime.LoadGen.Measurement;
using FastRealtime.LoadGen.Net;
using FastRealtime.LoadGen.Options;
using FastRealtime.LoadGen.Protocols;
using FastRealtime.LoadGen.Reporting;

namespace FastRealtime.LoadGen.Scenarios;

/// <summary>
/// N connections each send S-byte messages keeping W outstanding (or at a fixed total rate); the server echoes;
/// latency is the round trip, throughput the replies per second. Consistency: sent = received, no errors.
/// </summary>
public static class EchoScenario
{
    public static async Task<LoadResult> RunAsync(LoadOptions options, CancellationToken ct, Action<PerSecondSample>? progress = null)
    {
        await using var run = new ScenarioRun(options, progress);
        var opener = new ConnectionOpener(options, run.Metrics);
        IClientConnection?[] connections = await opener.OpenAsync(options.Connections, _ => options.Url.PathAndQuery, ct).ConfigureAwait(false);
        IClientConnection[] open = connections.Where(c => c is not null).ToArray()!;

        ILoadProtocol protocol = LoadProtocols.Create(options);
        var shared = new EchoShared
        {
            Metrics = run.Metrics,
            Paced = options.Rate is not null,
            CorrectCoordinatedOmission = options.CorrectCoordinatedOmission,
            ExpectedReplyLength = protocol is RawWebSocketProtocol ? Math.Max(options.Size, protocol.MinimumPayloadSize) : -1,
        };
        long[] quotas = SplitQuota(options.Messages, open.Length);
        var sessions = new EchoSession[open.Length];
        for (int i = 0; i < open.Length; i++)
        {
            var frames = new PremaskedFrames(protocol, options.EchoEvent, room: null, options.Size, shared.Paced ? 1 : options.Window);
            sessions[i] = new EchoSession(open[i], frames, shared, options.Window, quotas[i]);
        }

        // Listeners first: with the epoll engine a reply may arrive before Start returns.
        Task[] loops = sessions.Select(s => s.Connection.RunAsync(s, releaseBufferWhenIdle: false)).ToArray();
        await Pacer.DriveAsync(run, shared, sessions, ct).ConfigureAwait(false);
        await ScenarioRun.WaitUntilAsync(() => sessions.All(s => s.Outstanding == 0 || s.Connection.End != ConnectionEnd.None), options.DrainTimeout, ct).ConfigureAwait(false);
        long lost = sessions.Sum(s => s.Outstanding);
        if (lost > 0) run.Metrics.Errors.Add("reply-timeout", lost);
        await CloseAllAsync(open, loops, run.Metrics).ConfigureAwait(false);
        return await run.BuildResultAsync("echo", open.Length).ConfigureAwait(false);
    }

    /// <summary>Splits a total message count over connections (the first ones take the remainder).</summary>
    internal static long[] SplitQuota(long? total, int parts)
    {
        var quotas = new long[parts];
        for (int i = 0; i < parts; i++) quotas[i] = total is { } t ? t / parts + (i < t % parts ? 1 : 0) : long.MaxValue;
        return quotas;
    }

    /// <summary>Closes every connection and counts the ones the server had already dropped.</summary>
    internal static async Task CloseAllAsync(IReadOnlyList<IClientConnection> connections, Task[] loops, RunMetrics metrics)
    {
        foreach (IClientConnection c in connections)
        {
            ConnectionEnd end = c.End;
            if (end is ConnectionEnd.Reset or ConnectionEnd.ServerClose or ConnectionEnd.ProtocolError)
                metrics.Errors.Add(end switch
                {
                    ConnectionEnd.Reset => "connection-reset",
                    ConnectionEnd.ServerClose => "closed-by-server",
                    _ => "protocol-error",
                });
        }
        await Task.WhenAll(connections.Select(c => c.CloseAsync())).ConfigureAwait(false);
        await Task.WhenAll(loops).ConfigureAwait(false);
        foreach (IClientConnection _ in connections) metrics.ConnectionClosed();
    }
}
