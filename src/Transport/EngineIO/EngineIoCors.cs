using FastRealtime.Transport.Http;
using FastRealtime.Transport.Server;

namespace FastRealtime.Transport.EngineIO;

/// <summary>
/// CORS for the long-polling requests (browsers poll cross-origin when the page and the server differ): an allowed
/// Origin is echoed with credentials; an OPTIONS preflight is answered 204. A WebSocket needs none (its Origin is
/// checked by the handshake's allow-list).
/// </summary>
internal sealed class EngineIoCors(EngineIoOptions options)
{
    private const string AllowedMethods = "GET, POST, OPTIONS";

    /// <summary>The CORS headers for this request, or null when it carries no allowed Origin.</summary>
    public List<KeyValuePair<string, string>>? HeadersFor(HttpRequestHead head)
    {
        if (options.CorsOrigins is not { } allowed || head.Headers["Origin"] is not { } origin) return null;
        if (!allowed.Contains("*") && !allowed.Contains(origin, StringComparer.OrdinalIgnoreCase)) return null;
        var headers = new List<KeyValuePair<string, string>>(5)
        {
            new("Access-Control-Allow-Origin", origin),
            new("Vary", "Origin"),
        };
        if (options.CorsCredentials) headers.Add(new("Access-Control-Allow-Credentials", "true"));
        return headers;
    }

    public HttpResponse Preflight(HttpRequestHead head)
    {
        var headers = HeadersFor(head);
        if (headers is null) return new HttpResponse(204, ReadOnlyMemory<byte>.Empty);
        headers.Add(new("Access-Control-Allow-Methods", AllowedMethods));
        if (head.Headers["Access-Control-Request-Headers"] is { } requested) headers.Add(new("Access-Control-Allow-Headers", requested));
        return new HttpResponse(204, ReadOnlyMemory<byte>.Empty) { Headers = headers };
    }
}
