namespace FastRealtime.Transport.Http;

/// <summary>
/// Bounds applied while reading an HTTP/1.1 message head (and, for callers that read bodies, the body).
/// Every value has a safe default; the parser never buffers or scans past <see cref="MaxRequestHeadBytes"/>.
/// </summary>
public sealed class HttpLimits
{
    /// <summary>Shared instance with the defaults. Do not mutate it.</summary>
    internal static readonly HttpLimits Default = new();

    /// <summary>Largest head (start line + header lines + the empty line) accepted; beyond it the answer is 431.
    /// The response-head parser applies the same bound to response heads.</summary>
    public int MaxRequestHeadBytes { get; set; } = 8 * 1024;

    /// <summary>Most header lines accepted; the 101st line already yields 431.</summary>
    public int MaxHeaderCount { get; set; } = 100;

    /// <summary>How long a connection may take to deliver a complete head. Enforced by the connection owner
    /// (the parser does no I/O and knows no clock); listed here so all HTTP limits live in one options type.</summary>
    public TimeSpan HeaderTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Largest Content-Length accepted; a larger declared body is answered with 413 by the request parser.</summary>
    public int MaxBodyBytes { get; set; } = 1_000_000;
}
