namespace FastRealtime.Transport.Http;

/// <summary>Shared string instances for the common request methods; the parser returns these for
/// <see cref="HttpRequestHead.Method"/> so no string is allocated for them.</summary>
public static class KnownMethods
{
    public const string Get = "GET";
    public const string Post = "POST";
    public const string Put = "PUT";
    public const string Delete = "DELETE";
    public const string Head = "HEAD";
    public const string Options = "OPTIONS";
    public const string Patch = "PATCH";
}
