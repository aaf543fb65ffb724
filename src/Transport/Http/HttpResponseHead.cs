namespace FastRealtime.Transport.Http;

/// <summary>A parsed HTTP/1.x response head (client role, e.g. the answer to a WebSocket upgrade request). Immutable.</summary>
public sealed class HttpResponseHead
{
    internal HttpResponseHead(int statusCode, string reasonPhrase, bool isHttp11, HttpHeaders headers, long? contentLength)
    {
        StatusCode = statusCode;
        ReasonPhrase = reasonPhrase;
        IsHttp11 = isHttp11;
        Headers = headers;
        ContentLength = contentLength;
    }

    public int StatusCode { get; }

    /// <summary>Reason phrase as sent (may be empty).</summary>
    public string ReasonPhrase { get; }

    public bool IsHttp11 { get; }

    public HttpHeaders Headers { get; }

    /// <summary>Declared body length (validated like the request's), or null if absent.</summary>
    public long? ContentLength { get; }

    public override string ToString() => $"HTTP/1.{(IsHttp11 ? 1 : 0)} {StatusCode} {ReasonPhrase}";
}
