using System.Security.Cryptography;
using FastRealtime.Transport.Server;

namespace FastRealtime.Chat.Web;

/// <summary>
/// One file of the page, held in memory with both of its possible answers built once at start-up: the full 200
/// and the 304 for a matching If-None-Match. Serving then allocates nothing of its own.
/// </summary>
internal sealed class WebAsset
{
    private readonly HttpResponse _ok;
    private readonly HttpResponse _notModified;

    public WebAsset(ReadOnlyMemory<byte> content, string contentType, string cacheControl,
        IEnumerable<KeyValuePair<string, string>>? extraHeaders = null)
    {
        // A strong validator: the hash of the exact bytes served, so it changes exactly when the content does.
        ETag = "\"" + Convert.ToHexStringLower(SHA256.HashData(content.Span), 0, 16) + "\"";
        // RFC 9110 §15.4.5: a 304 repeats the ETag and Cache-Control that the 200 would have sent.
        KeyValuePair<string, string>[] validators = [new("ETag", ETag), new("Cache-Control", cacheControl)];
        _ok = new HttpResponse(200, content, contentType)
        {
            Headers = [.. validators, new("X-Content-Type-Options", "nosniff"), .. extraHeaders ?? []],
        };
        _notModified = new HttpResponse(304, ReadOnlyMemory<byte>.Empty) { Headers = validators };
    }

    public string ETag { get; }

    public ReadOnlyMemory<byte> Content => _ok.Body;

    public string ContentType => _ok.ContentType;

    /// <summary>304 if any If-None-Match line of the request matches this file's ETag, else 200 with the file.</summary>
    public HttpResponse Respond(HttpRequest request)
    {
        // The struct enumerator, not GetValues: no iterator allocated per request.
        foreach (var field in request.Head.Headers)
        {
            if (field.Key.Equals("If-None-Match", StringComparison.OrdinalIgnoreCase) && EntityTags.IfNoneMatch(field.Value, ETag))
                return _notModified;
        }
        return _ok;
    }
}
