using System.Text;
using FastRealtime.Transport.Http;
using FastRealtime.Transport.Server;

namespace FastRealtime.Chat.Web;

/// <summary>
/// The chat web page: <c>GET /</c> serves index.html and <c>GET /assets/&lt;name&gt;</c> the files it loads (app.js,
/// app.css, the vendored Socket.IO client), all embedded in this assembly so the server needs nothing on disk.
/// "/" is also the plain-WebSocket path of the demo gateway: upgrades still go there, plain requests come here.
/// </summary>
public static class WebPageEndpoints
{
    public const string AssetsPrefix = "/assets/";

    private const string ResourcePrefix = "web/";
    private const string AuthModeMarker = "{{authMode}}";

    // The page loads only its own script and style; user data is only ever set as text (app.js), and this policy is
    // the second line of defence should that slip. 'self' in connect-src covers ws:// to the same host (CSP 3).
    private const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; " +
        "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private static readonly HttpResponse s_notFound = HttpResponse.Text(404, "Not Found");

    private static readonly HttpResponse s_methodNotAllowed =
        HttpResponse.Text(405, "Method Not Allowed") with { Headers = [new("Allow", "GET, HEAD")] };

    public static EndpointRouter MapWebPage(this EndpointRouter router, WebPageOptions options)
    {
        ArgumentNullException.ThrowIfNull(router);
        ArgumentNullException.ThrowIfNull(options);
        var page = LoadPage(options);
        var assets = LoadAssets(options).GetAlternateLookup<ReadOnlySpan<char>>();

        router.MapHttp("/", request => ValueTask.FromResult(IsRead(request) ? page.Respond(request) : s_methodNotAllowed));
        router.MapHttp(AssetsPrefix + "*", request => ValueTask.FromResult(
            !IsRead(request) ? s_methodNotAllowed
            : assets.TryGetValue(request.Path.AsSpan(AssetsPrefix.Length), out var asset) ? asset.Respond(request)
            : s_notFound));
        return router;
    }

    private static bool IsRead(HttpRequest request) => request.Method is KnownMethods.Get or KnownMethods.Head;

    /// <summary>index.html with the authentication mode written in, so the page knows it without another request.</summary>
    private static WebAsset LoadPage(WebPageOptions options)
    {
        string html = Encoding.UTF8.GetString(ReadResource(ResourcePrefix + "index.html"));
        if (!html.Contains(AuthModeMarker, StringComparison.Ordinal))
            throw new InvalidOperationException($"The embedded index.html has no {AuthModeMarker} marker.");
        html = html.Replace(AuthModeMarker, options.DevelopmentMode ? "development" : "token", StringComparison.Ordinal);
        return new WebAsset(Encoding.UTF8.GetBytes(html), WebContentTypes.ForFile("index.html"), options.CacheControl,
        [
            new("Content-Security-Policy", ContentSecurityPolicy),
            // The page may be opened with ?token=…: never send that URL to anyone as a Referer.
            new("Referrer-Policy", "no-referrer"),
        ]);
    }

    private static Dictionary<string, WebAsset> LoadAssets(WebPageOptions options)
    {
        const string prefix = ResourcePrefix + "assets/";
        var assets = new Dictionary<string, WebAsset>(StringComparer.Ordinal);
        foreach (string resource in typeof(WebPageEndpoints).Assembly.GetManifestResourceNames())
        {
            if (!resource.StartsWith(prefix, StringComparison.Ordinal)) continue;
            string name = resource[prefix.Length..];
            assets[name] = new WebAsset(ReadResource(resource), WebContentTypes.ForFile(name), options.CacheControl);
        }
        return assets;
    }

    private static byte[] ReadResource(string name)
    {
        using var stream = typeof(WebPageEndpoints).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"The embedded resource {name} is missing from {typeof(WebPageEndpoints).Assembly.GetName().Name}.");
        using var copy = new MemoryStream((int)stream.Length);
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
