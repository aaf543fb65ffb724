using FastRealtime.Chat.Auth;
using FastRealtime.Chat.Demo;
using FastRealtime.Chat.Gateways;
using FastRealtime.Chat.History;
using FastRealtime.Chat.Hosting;
using FastRealtime.Chat.ScaleOut;
using FastRealtime.Chat.Web;
using FastRealtime.Transport.Server;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;

namespace FastRealtime.Chat.ChatApp;

/// <summary>
/// The chat backend's composition: what <c>serve</c> runs, and what tests start in-process.
/// Gateways: the seed 001 demo on "/", the chat on "/chat", notifications on "/notifications" (each on plain
/// WebSocket at its path and on Socket.IO). Services: settings, presence, metrics (exported by /metrics),
/// notifications, and the history store.
/// </summary>
public static class ChatServices
{
    /// <summary>
    /// Registers the chat. A history store registered before this call wins (tests use an in-memory one); otherwise
    /// the store <paramref name="settings"/> choose (SQLite in <see cref="ChatSettings.DataDirectory"/>, or PostgreSQL).
    /// /metrics exports the chat's meter and the history store's (created by this container's meter factory, so
    /// several hosts in one process each export their own).
    /// </summary>
    public static IServiceCollection AddChatApplication(this IServiceCollection services, ChatSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        services.AddSingleton(settings);
        services.AddSingleton<RoomPresence>();
        // Cluster-wide when scale-out is registered (in either order with this call), this node's otherwise.
        services.AddSingleton<IChatPresenceDirectory>(sp => sp.GetService<IClusterPresence>() is null
            ? new LocalChatPresenceDirectory(sp.GetRequiredService<RoomPresence>())
            : ActivatorUtilities.CreateInstance<ClusterChatPresenceDirectory>(sp));
        services.AddSingleton<ChatMetrics>();
        services.AddSingleton(sp => new ExportedMeter(sp.GetRequiredService<ChatMetrics>().Meter));
        services.AddMetrics();
        services.AddSingleton(sp => new ExportedMeter(
            sp.GetRequiredService<IMeterFactory>().Create(ChatHistoryServiceCollectionExtensions.MeterName)));
        if (!services.Any(d => d.ServiceType == typeof(IChatHistoryStore))) services.AddChatHistory(settings);
        services.AddSingleton<NotificationService>();
        services.AddChatAuth(settings);
        services.AddDemoGateway();
        services.AddGateway<ChatGateway>();
        services.AddGateway<NotificationsGateway>();
        return services;
    }

    /// <summary>
    /// The chat's HTTP endpoints: <c>POST /api/notifications</c>, <c>POST /api/dev/token</c> in development mode
    /// (no configured JWT secret), and the chat web page at <c>GET /</c>. Resolves the token service, so a bad secret
    /// fails here, at start-up.
    /// </summary>
    public static EndpointRouter MapChatEndpoints(this EndpointRouter router, IServiceProvider services)
    {
        var tokens = services.GetRequiredService<JwtTokenService>();
        router.MapDevTokenEndpoint(tokens);
        router.MapNotificationsApi(services.GetRequiredService<NotificationService>(), services.GetRequiredService<ChatSettings>());
        router.MapWebPage(new WebPageOptions { DevelopmentMode = tokens.IsDevelopment });
        return router;
    }
}
