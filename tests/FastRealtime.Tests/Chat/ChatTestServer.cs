using System.Text.Json;
using FastRealtime.Chat.Auth;
using FastRealtime.Chat.ChatApp;
using FastRealtime.Chat.Gateways;
using FastRealtime.Chat.Hosting;
using FastRealtime.Chat.History;
using FastRealtime.Tests.Auth;
using FastRealtime.Tests.Gateways;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace FastRealtime.Tests.ChatBackend;

/// <summary>
/// The chat composition (<see cref="ChatServices"/>) in a real server in the test process, on a free loopback port,
/// with an in-memory history store.
/// </summary>
public sealed class ChatTestServer : IAsyncDisposable
{
    public const string AdminKey = "test-admin-key";

    private ChatTestServer(FastRealtimeServer server, ServiceProvider services)
    {
        Server = server;
        Services = services;
    }

    public FastRealtimeServer Server { get; }
    public ServiceProvider Services { get; }
    public InMemoryChatHistoryStore Store => (InMemoryChatHistoryStore)Services.GetRequiredService<IChatHistoryStore>();
    public GatewayNamespace Chat => Services.GetRequiredService<GatewayServer>().Of<ChatGateway>();
    public GatewayNamespace Notifications => Services.GetRequiredService<GatewayServer>().Of<NotificationsGateway>();
    public NotificationService NotificationService => Services.GetRequiredService<NotificationService>();
    public string BaseUrl => $"http://127.0.0.1:{Server.LocalEndPoint.Port}";

    public static ChatTestServer Start(Action<ChatSettings>? configure = null)
    {
        var settings = new ChatSettings { AdminKey = AdminKey, JwtSecret = TestTokens.Secret, DataDirectory = Path.GetTempPath() };
        configure?.Invoke(settings);
        var collection = new ServiceCollection();
        collection.AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance);
        collection.AddSingleton(typeof(ILogger<>), typeof(Logger<>));
        collection.AddSingleton<IChatHistoryStore, InMemoryChatHistoryStore>();
        collection.AddChatApplication(settings);
        var services = collection.BuildServiceProvider();
        var server = new FastRealtimeServer(new ServerSettings { Host = "127.0.0.1", Port = 0, ShutdownTimeout = TimeSpan.FromSeconds(5) },
            mapEndpoints: router => router.MapChatEndpoints(services), services: services);
        server.Start();
        return new ChatTestServer(server, services);
    }

    /// <summary>A token the server accepts for <paramref name="userId"/> (display name <paramref name="name"/>).</summary>
    public string TokenFor(string userId, string? name = null) =>
        Services.GetRequiredService<JwtTokenService>().Create(userId, name ?? userId, TimeSpan.FromMinutes(10));

    /// <summary>Tokens for tests/interop/socketio/chat.mjs: alice (twice, as two tabs), bob, carol, the admin key, and refused ones.</summary>
    public string TokensJson() => JsonSerializer.Serialize(new Dictionary<string, object>
    {
        ["alice"] = TokenFor("u-alice", "Alice"),
        ["alice2"] = TokenFor("u-alice", "Alice"),
        ["bob"] = TokenFor("u-bob", "Bob"),
        ["carol"] = TokenFor("u-carol", "Carol"),
        ["adminKey"] = AdminKey,
        ["invalid"] = InvalidTokens(),
    });

    /// <summary>Tokens the guard must refuse: empty, malformed, expired, signed with another key, unsigned.</summary>
    public string[] InvalidTokens() =>
    [
        "",
        "garbage",
        TestTokens.Sign("u-alice", "Alice", expiresIn: TimeSpan.FromHours(-1), notBeforeIn: TimeSpan.FromHours(-2)),
        TestTokens.Sign("u-alice", "Alice", secret: "another-secret-of-at-least-thirty-two-bytes"),
        TestTokens.Unsigned(),
    ];

    /// <summary>A plain-WebSocket client of /chat (JSON {event,data,id}), authenticated with ?token=.</summary>
    public Task<JsonWsClient> ConnectAsync(string userId, string? name = null, string path = "/chat") =>
        JsonWsClient.ConnectAsync(Server.LocalEndPoint, $"{path}?token={Uri.EscapeDataString(TokenFor(userId, name))}");

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        await Services.DisposeAsync();
    }
}
