namespace FastRealtime.Chat.Web;

/// <summary>Content-Type of a served file, from its extension. Text types say UTF-8 explicitly so the browser never
/// guesses (and never sniffs: every response also carries X-Content-Type-Options: nosniff).</summary>
internal static class WebContentTypes
{
    public const string Fallback = "application/octet-stream";

    public static string ForFile(string fileName) => Path.GetExtension(fileName).ToLowerInvariant() switch
    {
        ".html" => "text/html; charset=utf-8",
        ".js" or ".mjs" => "text/javascript; charset=utf-8",
        ".css" => "text/css; charset=utf-8",
        ".txt" => "text/plain; charset=utf-8",
        ".json" or ".map" => "application/json; charset=utf-8",
        ".svg" => "image/svg+xml",
        ".png" => "image/png",
        ".ico" => "image/x-icon",
        ".woff2" => "font/woff2",
        _ => Fallback,
    };
}
