using FastRealtime.Chat.Gateways.Protocols;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace FastRealtime.Chat.Gateways;

public static class GatewayServiceCollectionExtensions
{
    /// <summary>
    /// The gateway framework: <see cref="GatewayServer"/>, the wire formats (plain-WebSocket JSON; Socket.IO over
    /// WebSocket and over long-polling) and
    /// <see cref="IGatewayEmitter{TGateway}"/>. Safe to call more than once (options configurations add up).
    /// </summary>
    public static IServiceCollection AddGateways(this IServiceCollection services, Action<GatewayOptions>? configure = null)
    {
        var options = services.AddOptions<GatewayOptions>();
        if (configure is not null) options.Configure(configure);
        services.TryAddSingleton<GatewayServer>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IGatewayWireFormat, WebSocketJsonWireFormat>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IGatewayWireFormat, SocketIoWebSocketWireFormat>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IGatewayWireFormat, SocketIoPollingWireFormat>());
        services.TryAddSingleton(typeof(IGatewayEmitter<>), typeof(GatewayEmitter<>));
        return services;
    }

    /// <summary>Registers <typeparamref name="TGateway"/> (a <see cref="GatewayAttribute"/> class) as a singleton gateway.</summary>
    public static IServiceCollection AddGateway<TGateway>(this IServiceCollection services) where TGateway : class
    {
        services.AddGateways();
        services.TryAddSingleton<TGateway>();
        services.AddSingleton(new GatewayRegistration(typeof(TGateway)));
        return services;
    }
}

/// <summary>
/// Resolves the namespace lazily, so a gateway may inject the emitter of its own namespace without a DI cycle.
/// </summary>
internal sealed class GatewayEmitter<TGateway>(IServiceProvider services) : IGatewayEmitter<TGateway> where TGateway : class
{
    private GatewayNamespace? _namespace;

    private GatewayNamespace Namespace => _namespace ??= services.GetRequiredService<GatewayServer>().Of<TGateway>();

    public string Name => Namespace.Name;
    public GatewayEmission Everyone => Namespace.Everyone;
    public GatewayEmission To(string room) => Namespace.To(room);
    public GatewayEmission To(params string[] rooms) => Namespace.To(rooms);
    public GatewayEmission ToClient(GatewayClient client) => Namespace.ToClient(client);
    public GatewayEmission ToUser(string userId) => Namespace.ToUser(userId);
    public Core.Rooms.BroadcastResult Emit<T>(string @event, T data) => Namespace.Emit(@event, data);
    public bool IsOnline(string userId) => Namespace.IsOnline(userId);
}
