namespace FastRealtime.Chat.Web;

/// <summary>How the chat web page at <c>GET /</c> is served.</summary>
public sealed class WebPageOptions
{
    /// <summary>True when the server has no JWT secret configured and offers <c>POST /api/dev/token</c>: the page then
    /// asks for a display name and fetches a development token itself. False: the page takes a token from
    /// <c>?token=</c> or asks for one.</summary>
    public bool DevelopmentMode { get; init; }

    /// <summary>Cache-Control of the page and its assets. The asset names carry no content hash, so the safe default
    /// makes the browser revalidate every time (a cheap 304 thanks to the ETag).</summary>
    public string CacheControl { get; init; } = "no-cache";
}
