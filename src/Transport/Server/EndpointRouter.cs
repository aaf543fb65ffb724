namespace FastRealtime.Transport.Server;

/// <summary>
/// Maps request paths to WebSocket applications and plain HTTP handlers. Filled at start-up, read-only after.
/// </summary>
public sealed class EndpointRouter
{
    private readonly Dictionary<string, Endpoint> _exact = new(StringComparer.Ordinal);
    private readonly List<(string Prefix, Endpoint Endpoint)> _prefixes = new();

    /// <summary>WebSocket upgrades on <paramref name="path"/> run <paramref name="application"/>.</summary>
    public EndpointRouter MapWebSocket(string path, IWebSocketApplication application) =>
        Map(path, endpoint => endpoint with { WebSocket = application });

    /// <summary>Plain requests on <paramref name="path"/> run <paramref name="handler"/>. A path ending in "/*" matches the prefix.</summary>
    public EndpointRouter MapHttp(string path, HttpRequestHandler handler) =>
        Map(path, endpoint => endpoint with { Http = handler });

    private EndpointRouter Map(string path, Func<Endpoint, Endpoint> change)
    {
        if (path.EndsWith("/*", StringComparison.Ordinal))
        {
            string prefix = path[..^1];
            int index = _prefixes.FindIndex(p => p.Prefix == prefix);
            var endpoint = change(index >= 0 ? _prefixes[index].Endpoint : new Endpoint(null, null));
            if (index >= 0) _prefixes[index] = (prefix, endpoint);
            else _prefixes.Add((prefix, endpoint));
            _prefixes.Sort((a, b) => b.Prefix.Length.CompareTo(a.Prefix.Length)); // longest prefix wins
            return this;
        }
        _exact[path] = change(_exact.GetValueOrDefault(path) ?? new Endpoint(null, null));
        return this;
    }

    public Endpoint? Find(string path)
    {
        if (_exact.TryGetValue(path, out var endpoint)) return endpoint;
        foreach (var (prefix, candidate) in _prefixes)
        {
            if (path.StartsWith(prefix, StringComparison.Ordinal)) return candidate;
        }
        return null;
    }

    /// <summary>What a path serves: a WebSocket application, a plain handler, or both.</summary>
    public sealed record Endpoint(IWebSocketApplication? WebSocket, HttpRequestHandler? Http);
}
