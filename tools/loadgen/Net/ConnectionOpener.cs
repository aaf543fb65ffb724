using System.Net;
using FastRealtime.LoadGen.Measurement;
using FastRealtime.LoadGen.Options;
using FastRealtime.LoadGen.Sessions;

namespace FastRealtime.LoadGen.Net;

/// <summary>
/// Opens many connections with a bounded number of handshakes in flight, spreading them round-robin over the
/// configured source addresses. Failures are counted in the run's errors by kind; their slot stays null.
/// For a protocol with a session of its own (socketio, signalr) a connection counts as open once that session is.
/// Several targets (<see cref="LoadOptions.Urls"/>, the nodes of a cluster) get one connector each.
/// </summary>
public sealed class ConnectionOpener
{
    private readonly LoadOptions _options;
    private readonly RunMetrics _metrics;
    private readonly SessionFactory? _sessions;
    private readonly IClientConnector?[] _connectors;

    public ConnectionOpener(LoadOptions options, RunMetrics metrics)
    {
        _options = options;
        _metrics = metrics;
        _sessions = SessionFactory.For(options);
        _connectors = new IClientConnector?[options.Urls.Count];
    }

    /// <summary>The connector of target <paramref name="target"/> (an index into <see cref="LoadOptions.Urls"/>).</summary>
    public async Task<IClientConnector> GetConnectorAsync(CancellationToken ct, int target = 0)
    {
        if (_connectors[target] is { } existing) return existing;
        ResourceLimits.TryRaiseOpenFileLimit(_options.Connections + 1024);
        Uri url = _options.Urls[target];
        IPEndPoint remote = await ClientConnectors.ResolveAsync(url, ct).ConfigureAwait(false);
        return _connectors[target] = ClientConnectors.Create(_options with { Url = url }, remote);
    }

    public IPAddress? SourceAddressFor(int index) =>
        _options.SourceAddresses.Count == 0 ? null : _options.SourceAddresses[index % _options.SourceAddresses.Count];

    /// <summary>
    /// Opens <paramref name="count"/> connections; <paramref name="pathFor"/> gives each one's path and query,
    /// <paramref name="roomFor"/> the room a protocol session joins as it opens (null: none).
    /// <paramref name="releaseBufferWhenIdle"/> applies to the receive loop a session starts at once (see
    /// <see cref="IClientConnection.RunAsync"/>). <paramref name="authFor"/> gives a connection its own Socket.IO
    /// CONNECT auth object (a per-user token) instead of the run's --auth. <paramref name="targetFor"/> gives the index
    /// of the connection's target in <see cref="LoadOptions.Urls"/> (default: the first).
    /// </summary>
    public async Task<IClientConnection?[]> OpenAsync(int count, Func<int, string> pathFor, CancellationToken ct,
        Func<int, string?>? roomFor = null, bool releaseBufferWhenIdle = false, Func<int, string>? authFor = null,
        Func<int, int>? targetFor = null)
    {
        var connectors = new IClientConnector[_options.Urls.Count];
        for (int t = 0; t < connectors.Length; t++) connectors[t] = await GetConnectorAsync(ct, t).ConfigureAwait(false);
        var connections = new IClientConnection?[count];
        int next = -1;
        async Task Worker()
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < count && !ct.IsCancellationRequested)
            {
                IClientConnector connector = connectors[targetFor?.Invoke(i) ?? 0];
                ConnectOutcome outcome = await connector.ConnectAsync(pathFor(i), SourceAddressFor(i), ct).ConfigureAwait(false);
                if (outcome.Connection is null)
                {
                    _metrics.Errors.Add(outcome.ErrorKind!);
                    continue;
                }
                IClientConnection connection = outcome.Connection;
                if (_sessions is not null)
                {
                    SessionConnection session = _sessions.Create(connection, roomFor?.Invoke(i), authFor?.Invoke(i));
                    string? failure = await session.OpenAsync(releaseBufferWhenIdle, _options.ConnectTimeout, ct).ConfigureAwait(false);
                    if (failure is not null)
                    {
                        _metrics.Errors.Add(failure);
                        connection.Abort();
                        continue;
                    }
                    connection = session;
                }
                connections[i] = connection;
                _metrics.ConnectionOpened();
            }
        }
        int workers = Math.Clamp(_options.ConnectConcurrency, 1, Math.Max(1, count));
        await Task.WhenAll(Enumerable.Range(0, workers).Select(_ => Task.Run(Worker, CancellationToken.None))).ConfigureAwait(false);
        return connections;
    }

    /// <summary>The URL's path and query with extra query parameters appended.</summary>
    public static string PathWithQuery(Uri url, string? extraQuery)
    {
        string pathAndQuery = url.PathAndQuery;
        if (string.IsNullOrEmpty(extraQuery)) return pathAndQuery;
        return pathAndQuery + (url.Query.Length > 0 ? "&" : "?") + extraQuery;
    }
}
