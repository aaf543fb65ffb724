using System.Net;
using System.Text;
using System.Text.Json;

namespace FastRealtime.Tests.SocketIO;

/// <summary>Raw Engine.IO long-polling requests over real HTTP, for the protocol's own answers to bad input.</summary>
internal sealed class PollingTestClient(string baseUrl) : IDisposable
{
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };

    public string Url(string query) => $"{baseUrl}/socket.io/?{query}";

    public async Task<(HttpStatusCode Status, string Body)> GetAsync(string query, string? origin = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, Url(query));
        if (origin is not null) request.Headers.Add("Origin", origin);
        using var response = await _http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    public async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request) => await _http.SendAsync(request);

    public async Task<(HttpStatusCode Status, string Body)> PostAsync(string query, string body)
    {
        using var response = await _http.PostAsync(Url(query), new StringContent(body, Encoding.UTF8, "text/plain"));
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>Opens a polling session; returns its sid.</summary>
    public async Task<string> HandshakeAsync()
    {
        var (status, body) = await GetAsync("EIO=4&transport=polling");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.StartsWith("0{", body);
        return JsonDocument.Parse(body[1..]).RootElement.GetProperty("sid").GetString()!;
    }

    /// <summary>A session connected to Socket.IO namespace <paramref name="ns"/> ("" for "/").</summary>
    public async Task<string> OpenConnectedAsync(string ns = "")
    {
        string sid = await HandshakeAsync();
        Assert.Equal("ok", (await PostAsync(Query(sid), ns.Length == 0 ? "40" : $"40{ns},")).Body);
        var (_, body) = await GetAsync(Query(sid));
        Assert.StartsWith(ns.Length == 0 ? "40{\"sid\":" : $"40{ns},{{\"sid\":", body);
        return sid;
    }

    /// <summary>The session still answers: identity with ack on "/" comes back.</summary>
    public async Task AssertHealthyAsync(string sid)
    {
        Assert.Equal("ok", (await PostAsync(Query(sid), "427[\"identity\",\"still here\"]")).Body);
        var (status, body) = await GetAsync(Query(sid));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("437[\"still here\"]", body);
    }

    /// <summary>A session the server closed: the next poll gets the close packet "1" (as from engine.io), then the sid is unknown.</summary>
    public async Task AssertServerClosedAsync(string sid)
    {
        var (status, body) = await GetAsync(Query(sid));
        Assert.Equal((HttpStatusCode.OK, "1"), (status, body));
        AssertError(await GetAsync(Query(sid)), 1, "Session ID unknown");
    }

    public static string Query(string sid) => $"EIO=4&transport=polling&sid={sid}";

    public static void AssertError((HttpStatusCode Status, string Body) response, int code, string message)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Equal($"{{\"code\":{code},\"message\":\"{message}\"}}", response.Body);
    }

    public void Dispose() => _http.Dispose();
}
