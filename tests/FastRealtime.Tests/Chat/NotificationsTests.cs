using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using FastRealtime.Chat.ChatApp;
using FastRealtime.Tests.Gateways;

namespace FastRealtime.Tests.ChatBackend;

/// <summary>/notifications (every socket of a user) and POST /api/notifications, through real sockets.</summary>
public sealed class NotificationsTests : IAsyncLifetime
{
    private ChatTestServer _server = null!;
    private readonly HttpClient _http = new();

    public Task InitializeAsync()
    {
        _server = ChatTestServer.Start();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _server.DisposeAsync();
    }

    private Task<JsonWsClient> ConnectAsync(string userId) => _server.ConnectAsync(userId, path: "/notifications");

    private Task<HttpResponseMessage> PostAsync(string? body, string? key = ChatTestServer.AdminKey, HttpMethod? method = null)
    {
        var request = new HttpRequestMessage(method ?? HttpMethod.Post, $"{_server.BaseUrl}{NotificationsEndpoint.Path}");
        if (body is not null) request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        if (key is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return _http.SendAsync(request);
    }

    private static async Task<JsonElement> JsonOf(HttpResponseMessage response)
    {
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    [Fact]
    public async Task SendToUser_UserWithTwoSockets_EverySocketOfThatUserOnly()
    {
        await using var tab1 = await ConnectAsync("u-alice");
        await using var tab2 = await ConnectAsync("u-alice");
        await using var bob = await ConnectAsync("u-bob");
        var service = _server.NotificationService;
        await Eventually(() => _server.Notifications.ClientCount == 3);

        int delivered = service.SendToUser("u-alice", NotificationService.Create(NotificationTypes.Warning, "Disk", "almost full"));

        Assert.Equal(2, delivered);
        foreach (var tab in new[] { tab1, tab2 })
        {
            var message = await tab.ReceiveAsync();
            Assert.Equal(NotificationService.EventName, message.GetProperty("event").GetString());
            var data = message.GetProperty("data");
            Assert.Equal(("warning", "Disk", "almost full"), (data.GetProperty("type").GetString(), data.GetProperty("title").GetString(), data.GetProperty("message").GetString()));
            Assert.True(Guid.TryParse(data.GetProperty("id").GetString(), out _));
            Assert.True(DateTimeOffset.TryParse(data.GetProperty("createdAt").GetString(), out _));
        }
        Assert.Equal(3, service.Broadcast(NotificationService.Create(NotificationTypes.Info, "marker", "")));
        Assert.Equal("marker", (await bob.ReceiveAsync()).GetProperty("data").GetProperty("title").GetString()); // nothing before it
    }

    [Fact]
    public async Task Api_ToUser_Returns202AndTheUserGetsIt()
    {
        await using var alice = await ConnectAsync("u-alice");
        await Eventually(() => _server.Notifications.IsOnline("u-alice"));

        var response = await PostAsync("""{"userId":"u-alice","type":"error","title":"Build failed","message":"main is red"}""");

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var body = await JsonOf(response);
        Assert.Equal(1, body.GetProperty("delivered").GetInt32());
        var data = (await alice.ReceiveAsync()).GetProperty("data");
        Assert.Equal(body.GetProperty("id").GetString(), data.GetProperty("id").GetString());
        Assert.Equal("Build failed", data.GetProperty("title").GetString());
    }

    [Fact]
    public async Task Api_WithoutUserId_BroadcastsToEveryone()
    {
        await using var alice = await ConnectAsync("u-alice");
        await using var bob = await ConnectAsync("u-bob");
        await Eventually(() => _server.Notifications.ClientCount == 2);

        var response = await PostAsync("""{"type":"info","title":"Maintenance","message":"at noon"}""");

        Assert.Equal(2, (await JsonOf(response)).GetProperty("delivered").GetInt32());
        Assert.Equal("Maintenance", (await alice.ReceiveAsync()).GetProperty("data").GetProperty("title").GetString());
        Assert.Equal("Maintenance", (await bob.ReceiveAsync()).GetProperty("data").GetProperty("title").GetString());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("wrong-key")]
    [InlineData("")]
    public async Task Api_MissingOrWrongKey_Returns401Json(string? key)
    {
        var response = await PostAsync("""{"type":"info","title":"x","message":"y"}""", key);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("Unauthorized", (await JsonOf(response)).GetProperty("error").GetString());
        Assert.Contains("Bearer <admin key>", await response.Content.ReadAsStringAsync()); // readable, not \u003C-escaped
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
    }

    [Fact]
    public async Task Api_NoAdminKeyConfigured_Returns401EvenWithABearer()
    {
        await using var server = ChatTestServer.Start(s => s.AdminKey = null);
        using var request = new HttpRequestMessage(HttpMethod.Post, $"{server.BaseUrl}{NotificationsEndpoint.Path}")
        {
            Content = new StringContent("""{"type":"info","title":"x"}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "");
        var response = await _http.SendAsync(request);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Theory]
    [InlineData("not json", "JSON object")]
    [InlineData("[1,2]", "JSON object")]
    [InlineData("""{"type":"shout","title":"x"}""", "type")]
    [InlineData("""{"title":"x"}""", "type")]
    [InlineData("""{"type":"info"}""", "title")]
    [InlineData("""{"type":"info","title":"   "}""", "title")]
    [InlineData("""{"type":"info","title":5}""", "title")]
    [InlineData("""{"type":"info","title":"x","userId":""}""", "userId")]
    public async Task Api_BadBody_Returns400NamingTheProblem(string body, string named)
    {
        var response = await PostAsync(body);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(named, (await JsonOf(response)).GetProperty("error").GetString());
    }

    [Fact]
    public async Task Api_Get_Returns405()
    {
        var response = await PostAsync(null, method: HttpMethod.Get);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
    }

    [Fact]
    public void IsAuthorized_ComparesWholeKey()
    {
        byte[] hash = System.Security.Cryptography.SHA256.HashData("secret"u8);
        Assert.True(NotificationsEndpoint.IsAuthorized("Bearer secret", hash));
        Assert.True(NotificationsEndpoint.IsAuthorized("bearer secret", hash));
        Assert.False(NotificationsEndpoint.IsAuthorized("Bearer secre", hash));
        Assert.False(NotificationsEndpoint.IsAuthorized("Bearer secrets", hash));
        Assert.False(NotificationsEndpoint.IsAuthorized("Basic secret", hash));
        Assert.False(NotificationsEndpoint.IsAuthorized("Bearer secret", null));
    }

    private static Task Eventually(Func<bool> condition) =>
        Infrastructure.Eventually.AssertAsync(condition, TimeSpan.FromSeconds(5), () => "the sockets did not register");
}
