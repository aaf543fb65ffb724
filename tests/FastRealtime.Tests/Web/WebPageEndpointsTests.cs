using System.Buffers;
using System.Net;
using System.Net.Http.Headers;
using System.Net.WebSockets;
using System.Text;
using System.Text.RegularExpressions;
using FastRealtime.Chat.Endpoints;
using FastRealtime.Chat.Web;
using FastRealtime.Tests.Infrastructure;
using FastRealtime.Transport.Http;

namespace FastRealtime.Tests.Web;

/// <summary>GET / and GET /assets/* of the chat web page, through a real server on loopback and HttpClient.</summary>
public sealed partial class WebPageEndpointsTests
{
    private static TestServer Start(bool developmentMode = false) =>
        TestServer.Start(mapEndpoints: router => router.MapWebPage(new WebPageOptions { DevelopmentMode = developmentMode }));

    private static HttpClient Client() => new() { Timeout = TimeSpan.FromSeconds(10) };

    [Fact]
    public async Task Root_Get_ServesTheHtmlPageWithValidatorsAndSecurityHeaders()
    {
        await using var server = Start();
        using var http = Client();
        var response = await http.GetAsync(server.HttpUri("/"));
        string html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        Assert.Matches("^\"[0-9a-f]{32}\"$", response.Headers.ETag?.ToString());
        Assert.Equal("no-cache", response.Headers.CacheControl?.ToString());
        Assert.Contains("script-src 'self'", Header(response, "Content-Security-Policy"));
        Assert.Equal("nosniff", Header(response, "X-Content-Type-Options"));
        Assert.Equal("no-referrer", Header(response, "Referrer-Policy"));
        Assert.StartsWith("<!doctype html>", html);
        Assert.Contains("data-auth-mode=\"token\"", html);
    }

    [Fact]
    public async Task Root_WithQueryString_ServesThePage()
    {
        await using var server = Start();
        using var http = Client();
        var response = await http.GetAsync(server.HttpUri("/?token=abc.def.ghi"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("<title>FastRealtime chat</title>", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Root_DevelopmentMode_PageSaysSoAndHasItsOwnETag()
    {
        await using var development = Start(developmentMode: true);
        await using var production = Start(developmentMode: false);
        using var http = Client();
        var developmentPage = await http.GetAsync(development.HttpUri("/"));
        var productionPage = await http.GetAsync(production.HttpUri("/"));

        Assert.Contains("data-auth-mode=\"development\"", await developmentPage.Content.ReadAsStringAsync());
        Assert.DoesNotContain("{{authMode}}", await developmentPage.Content.ReadAsStringAsync());
        Assert.NotEqual(productionPage.Headers.ETag, developmentPage.Headers.ETag);
    }

    [Theory]
    [InlineData("app.js", "text/javascript; charset=utf-8")]
    [InlineData("view.js", "text/javascript; charset=utf-8")] // imported by app.js (a module; browsers demand a JS type)
    [InlineData("app.css", "text/css; charset=utf-8")]
    [InlineData("socket.io.min.js", "text/javascript; charset=utf-8")]
    [InlineData("NOTICE.txt", "text/plain; charset=utf-8")]
    public async Task Asset_Get_ServesTheCommittedFileWithItsContentType(string name, string contentType)
    {
        await using var server = Start();
        using var http = Client();
        var response = await http.GetAsync(server.HttpUri("/assets/" + name));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(contentType, response.Content.Headers.ContentType?.ToString());
        Assert.Equal("nosniff", Header(response, "X-Content-Type-Options"));
        Assert.Equal("no-cache", response.Headers.CacheControl?.ToString());
        Assert.NotNull(response.Headers.ETag);
        Assert.Equal(await File.ReadAllBytesAsync(SourceFile("assets", name)), await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Asset_SocketIoClient_IsTheVendoredReleaseWithItsLicenseHeader()
    {
        await using var server = Start();
        using var http = Client();
        string script = await http.GetStringAsync(server.HttpUri("/assets/socket.io.min.js"));
        Assert.StartsWith("/*!\n * Socket.IO v4.8.1\n * (c) 2014-2024 Guillermo Rauch\n * Released under the MIT License.\n */", script);
    }

    [Fact]
    public async Task Page_EveryReferencedAsset_IsServed()
    {
        await using var server = Start();
        using var http = Client();
        string html = await http.GetStringAsync(server.HttpUri("/"));
        var references = AssetReference().Matches(html).Select(m => m.Groups[1].Value).ToList();

        Assert.Equal(["app.css", "socket.io.min.js", "app.js"], references);
        foreach (string name in references)
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(server.HttpUri("/assets/" + name))).StatusCode);
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/assets/app.js")]
    public async Task Get_IfNoneMatchCurrentETag_Returns304WithValidatorsAndNoBody(string path)
    {
        await using var server = Start();
        using var http = Client();
        var first = await http.GetAsync(server.HttpUri(path));
        using var conditional = new HttpRequestMessage(HttpMethod.Get, server.HttpUri(path));
        conditional.Headers.IfNoneMatch.Add(first.Headers.ETag!);
        var second = await http.SendAsync(conditional);

        Assert.Equal(HttpStatusCode.NotModified, second.StatusCode);
        Assert.Equal(first.Headers.ETag, second.Headers.ETag);
        Assert.Equal("no-cache", second.Headers.CacheControl?.ToString());
        Assert.Empty(await second.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Get_IfNoneMatchWeakFormInAList_Returns304()
    {
        await using var server = Start();
        using var http = Client();
        var first = await http.GetAsync(server.HttpUri("/assets/app.css"));
        using var conditional = new HttpRequestMessage(HttpMethod.Get, server.HttpUri("/assets/app.css"));
        conditional.Headers.TryAddWithoutValidation("If-None-Match", $"\"stale\", W/{first.Headers.ETag!.Tag}");
        Assert.Equal(HttpStatusCode.NotModified, (await http.SendAsync(conditional)).StatusCode);
    }

    [Fact]
    public async Task Get_IfNoneMatchStaleETag_Returns200WithTheFile()
    {
        await using var server = Start();
        using var http = Client();
        using var conditional = new HttpRequestMessage(HttpMethod.Get, server.HttpUri("/assets/app.js"));
        conditional.Headers.IfNoneMatch.Add(new EntityTagHeaderValue("\"0123456789abcdef0123456789abcdef\""));
        var response = await http.SendAsync(conditional);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.NotEmpty(await response.Content.ReadAsByteArrayAsync());
    }

    [Theory]
    [InlineData("/assets/nope.js")]
    [InlineData("/assets/")]
    [InlineData("/assets/app.js/")]
    [InlineData("/assets/APP.JS")]
    [InlineData("/assets/../Web/index.html")]
    [InlineData("/assets/%2e%2e/index.html")]
    [InlineData("/assets/index.html")] // the page is served at / only
    [InlineData("/index.html")]
    public async Task Get_UnknownAsset_Returns404(string path)
    {
        await using var server = Start();
        var response = await RawHttp.SendAsync(server.EndPoint, RawHttp.Request($"GET {path} HTTP/1.1", "Host: 127.0.0.1", "Connection: close"));
        Assert.Equal(404, response.StatusCode);
    }

    [Theory]
    [InlineData("POST", "/")]
    [InlineData("PUT", "/")]
    [InlineData("DELETE", "/assets/app.js")]
    [InlineData("OPTIONS", "/assets/app.css")]
    [InlineData("POST", "/assets/nope.js")]
    public async Task NonGetOrHead_Returns405WithAllow(string method, string path)
    {
        await using var server = Start();
        using var http = Client();
        var response = await http.SendAsync(new HttpRequestMessage(new HttpMethod(method), server.HttpUri(path)));

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Equal(["GET", "HEAD"], response.Content.Headers.Allow.Order());
    }

    [Fact]
    public async Task Head_ThenGetOnTheSameConnection_HeadHasGetHeadersAndNoBody()
    {
        await using var server = Start();
        using var http = Client();
        byte[] page = await http.GetByteArrayAsync(server.HttpUri("/"));

        // Both requests in one write: if the HEAD answer carried a body, it would be read as the second response.
        string requests = RawHttp.Request("HEAD / HTTP/1.1", "Host: 127.0.0.1")
            + RawHttp.Request("GET /assets/NOTICE.txt HTTP/1.1", "Host: 127.0.0.1", "Connection: close");
        var (head, rest) = await SendAndReadAllAsync(server, requests);
        var buffer = new ReadOnlySequence<byte>(rest);
        Assert.Equal(HttpParseStatus.Complete, HttpResponseHeadParser.TryParse(ref buffer, new HttpLimits(), out var second, out _));

        Assert.Equal(200, head.StatusCode);
        Assert.Equal(page.Length, head.ContentLength);
        Assert.Equal("text/html; charset=utf-8", head.Headers["Content-Type"]);
        Assert.Equal(200, second!.StatusCode);
        Assert.Equal("text/plain; charset=utf-8", second.Headers["Content-Type"]);
        Assert.StartsWith("socket.io.min.js", Encoding.UTF8.GetString(buffer.ToArray()));
    }

    [Fact]
    public async Task Root_WebSocketUpgrade_StillReachesTheWebSocketAppOnTheSamePath()
    {
        await using var server = TestServer.Start(mapEndpoints: router => router
            .MapWebSocket("/", new EchoApplication())
            .MapWebPage(new WebPageOptions()));
        using var http = Client();
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(server.HttpUri("/"))).StatusCode);

        using var socket = new ClientWebSocket();
        await socket.ConnectAsync(server.WebSocketUri("/"), CancellationToken.None);
        await socket.SendAsync("ping"u8.ToArray(), WebSocketMessageType.Text, true, CancellationToken.None);
        var buffer = new byte[16];
        var received = await socket.ReceiveAsync(buffer, CancellationToken.None);
        Assert.Equal("ping", Encoding.UTF8.GetString(buffer, 0, received.Count));
    }

    private static string Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(",", values) : "";

    /// <summary>Sends raw requests, reads until the server closes, and returns the first response head and the bytes after it.</summary>
    private static async Task<(HttpResponseHead Head, byte[] After)> SendAndReadAllAsync(TestServer server, string requests)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        using var socket = await RawWebSocketClient.ConnectTcpAsync(server.EndPoint);
        await socket.SendAsync(Encoding.ASCII.GetBytes(requests), System.Net.Sockets.SocketFlags.None, cts.Token);
        using var received = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await socket.ReceiveAsync(chunk, System.Net.Sockets.SocketFlags.None, cts.Token)) > 0) received.Write(chunk, 0, read);
        var all = new ReadOnlySequence<byte>(received.ToArray());
        Assert.Equal(HttpParseStatus.Complete, HttpResponseHeadParser.TryParse(ref all, new HttpLimits(), out var head, out _));
        return (head!, all.ToArray());
    }

    /// <summary>A file of src/Chat/Web as committed, found by walking up from the test binaries.</summary>
    private static string SourceFile(params string[] parts)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine([dir.FullName, "src", "Chat", "Web", .. parts]);
            if (File.Exists(candidate)) return candidate;
        }
        throw new FileNotFoundException(Path.Combine(parts));
    }

    [GeneratedRegex("(?:href|src)=\"/assets/([^\"]+)\"")]
    private static partial Regex AssetReference();
}
