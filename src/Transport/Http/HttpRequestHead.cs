namespace FastRealtime.Transport.Http;

/// <summary>A parsed, validated HTTP/1.x request head (RFC 9112 §3). Immutable.</summary>
public sealed class HttpRequestHead
{
    internal HttpRequestHead(string method, string target, string path, string queryString, bool isHttp11,
        HttpHeaders headers, long? contentLength, bool isChunked, bool keepAlive)
    {
        Method = method;
        Target = target;
        Path = path;
        QueryString = queryString;
        IsHttp11 = isHttp11;
        Headers = headers;
        ContentLength = contentLength;
        IsChunked = isChunked;
        KeepAlive = keepAlive;
    }

    /// <summary>Request method; the common ones are shared string instances (compare with == or Equals).</summary>
    public string Method { get; }

    /// <summary>Raw request-target as received, e.g. <c>/socket.io/?EIO=4&amp;transport=polling</c>.</summary>
    public string Target { get; }

    /// <summary>Path part of the target (before '?'), not percent-decoded. For absolute-form targets the path
    /// after the authority ("/" if empty); "*" for the OPTIONS asterisk-form.</summary>
    public string Path { get; }

    /// <summary>Everything after the first '?', without it; "" when there is none.</summary>
    public string QueryString { get; }

    /// <summary>True for HTTP/1.1 (and any later 1.x minor), false for HTTP/1.0.</summary>
    public bool IsHttp11 { get; }

    public HttpHeaders Headers { get; }

    /// <summary>Declared body length, validated (digits only, repeated values agree, within MaxBodyBytes); null if absent.</summary>
    public long? ContentLength { get; }

    /// <summary>Transfer-Encoding: chunked (the only transfer coding accepted).</summary>
    public bool IsChunked { get; }

    /// <summary>HTTP/1.1: true unless "Connection: close". HTTP/1.0: true only with "Connection: keep-alive".</summary>
    public bool KeepAlive { get; }

    /// <summary>True when a body follows the head (non-zero Content-Length or chunked).</summary>
    public bool HasBody => IsChunked || ContentLength > 0;

    /// <summary>First value of a query parameter, percent-decoded with '+' as space; null if absent, "" if it has no '='.</summary>
    public string? GetQueryValue(string name) => HttpQuery.GetValue(QueryString, name);

    public override string ToString() => $"{Method} {Target} HTTP/1.{(IsHttp11 ? 1 : 0)}";
}
