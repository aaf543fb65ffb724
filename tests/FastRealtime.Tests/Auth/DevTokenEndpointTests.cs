using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using FastRealtime.Chat.Auth;
using FastRealtime.Chat.ChatApp;
using FastRealtime.Tests.Gateways;

namespace FastRealtime.Tests.Auth;

public sealed class DevTokenEndpointTests : IAsyncLifetime
{
    private readonly TempDataDirectory _data = new();
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };
    private AuthTestServer _server = null!;

    public Task InitializeAsync()
    {
        _server = AuthTestServer.Start(new ChatSettings { DataDirectory = _data.Path }); // no secret: development mode
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _server.DisposeAsync();
        _data.Dispose();
    }

    [Fact]
    public async Task Post_Name_TokenTheGuardAccepts_AsTheNamedUser()
    {
        var (status, body) = await PostAsync("""{"name": "  Alice Smith "}""");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("dev-alice-smith", body.GetProperty("userId").GetString());
        Assert.Equal("Alice Smith", body.GetProperty("userName").GetString());
        string token = body.GetProperty("token").GetString()!;
        await using var client = await JsonWsClient.ConnectAsync(_server.Server.EndPoint, "/secure?token=" + token);
        var me = await client.RequestAsync("whoami", null);
        Assert.Equal("dev-alice-smith", me.GetProperty("userId").GetString());
        Assert.Equal("Alice Smith", me.GetProperty("name").GetString());
    }

    [Fact]
    public async Task Post_SameNameTwice_SameUserId()
    {
        var (_, first) = await PostAsync("""{"name": "Bob"}""");
        var (_, second) = await PostAsync("""{"name": "Bob"}""");
        Assert.Equal(first.GetProperty("userId").GetString(), second.GetProperty("userId").GetString());
    }

    [Theory]
    [InlineData("""{"name": ""}""")]
    [InlineData("""{"name": "   "}""")]
    [InlineData("""{"name": "123456789012345678901234567890123"}""")]
    [InlineData("""{"name": 42}""")]
    [InlineData("""{"nom": "Alice"}""")]
    [InlineData("""["Alice"]""")]
    [InlineData("""{"name": "a\u0000b"}""")]
    [InlineData("not json")]
    [InlineData("")]
    public async Task Post_BadName_400WithMessage(string json)
    {
        var (status, body) = await PostAsync(json);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("name", body.GetProperty("message").GetString());
    }

    [Fact]
    public async Task Post_NameOf32Characters_Accepted() =>
        Assert.Equal(HttpStatusCode.OK, (await PostAsync("""{"name": "12345678901234567890123456789012"}""")).Status);

    [Fact]
    public async Task Get_405()
    {
        using var response = await _http.GetAsync(_server.BaseUrl + DevTokenEndpoint.Path);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
    }

    [Fact]
    public async Task ConfiguredSecret_EndpointNotMapped_404()
    {
        await using var production = AuthTestServer.Start(TestTokens.Settings());
        using var response = await _http.PostAsJsonAsync(production.BaseUrl + DevTokenEndpoint.Path, new { name = "Mallory" });
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Theory]
    [InlineData("Alice", "dev-alice")]
    [InlineData("alice", "dev-alice")]
    [InlineData("Zoë O'Brien", "dev-zoë-o-brien")]
    [InlineData("--x--", "dev-x")]
    public void UserIdFor_Slug(string name, string expected) => Assert.Equal(expected, DevTokenEndpoint.UserIdFor(name));

    [Fact]
    public void UserIdFor_NoLetterOrDigit_StableHash()
    {
        Assert.Matches("^dev-[0-9a-f]{12}$", DevTokenEndpoint.UserIdFor("!!!"));
        Assert.Equal(DevTokenEndpoint.UserIdFor("!!!"), DevTokenEndpoint.UserIdFor("!!!"));
        Assert.NotEqual(DevTokenEndpoint.UserIdFor("!!!"), DevTokenEndpoint.UserIdFor("???"));
    }

    private async Task<(HttpStatusCode Status, JsonElement Body)> PostAsync(string json)
    {
        using var content = new StringContent(json, Encoding.UTF8, "application/json");
        using var response = await _http.PostAsync(_server.BaseUrl + DevTokenEndpoint.Path, content);
        string text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, JsonDocument.Parse(text).RootElement.Clone());
    }
}
