using System.Reflection;
using FastRealtime.Chat.Gateways.Dispatch;
using FastRealtime.Chat.Gateways.Protocols;
using FastRealtime.Chat.Gateways.Serialization;
using FastRealtime.Chat.SocketIO;
using FastRealtime.Core.Rooms;
using FastRealtime.Transport.Server;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace FastRealtime.Chat.Gateways;

/// <summary>
/// Every registered gateway, grouped into namespaces and compiled once: handler tables, guards, hooks, wire formats.
/// A DI singleton; <see cref="MapWebSockets"/> serves each namespace on plain WebSocket at its path, <see cref="MapSocketIo"/>
/// on Socket.IO as the namespace of the same name: one gateway, one set of rooms and users, both wire protocols.
/// </summary>
/// <remarks>
/// Building it resolves every gateway (singletons), their guards, and runs <see cref="IAfterGatewayInit"/>. Errors in a
/// gateway's shape (two handlers for one event, several payload parameters, a guard of the wrong kind) throw here, at
/// start-up, never on a message.
/// </remarks>
public sealed class GatewayServer
{
    private readonly Dictionary<string, GatewayNamespace> _namespaces = new(StringComparer.Ordinal);

    public GatewayServer(IServiceProvider services, IEnumerable<GatewayRegistration> registrations, IEnumerable<IGatewayWireFormat> wireFormats,
        IOptions<GatewayOptions> options, ILoggerFactory? loggerFactory = null)
    {
        Options = options.Value;
        var json = new GatewayJson(Options.JsonOptions);
        var formats = new IGatewayWireFormat?[BroadcastMessage.MaxProtocols];
        foreach (var format in wireFormats) formats[format.ProtocolIndex] = format;
        var logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger("FastRealtime.Gateways");
        var relay = services.GetService<IGatewayBroadcastRelay>();
        object ResolveGuard(Type type) => ActivatorUtilities.GetServiceOrCreateInstance(services, type);

        foreach (var group in registrations.Select(r => r.GatewayType).Distinct().GroupBy(NamespaceOf))
        {
            var gateways = group.Select(services.GetRequiredService).ToArray();
            var bindings = new List<HandlerBinding>();
            var connectionGuards = new List<IGatewayConnectionGuard>();
            foreach (var gateway in gateways)
            {
                var type = gateway.GetType();
                var classGuards = HandlerCompiler.MessageGuards(type, ResolveGuard).ToArray();
                connectionGuards.AddRange(ConnectionGuards(type, ResolveGuard));
                bindings.AddRange(HandlerCompiler.Compile(gateway, classGuards, ResolveGuard, json));
            }
            _namespaces[group.Key] = new GatewayNamespace(group.Key, gateways, new HandlerTable(bindings), [.. connectionGuards],
                Options, json, formats, logger, relay, MessageRateOf(group));
        }

        foreach (var @namespace in _namespaces.Values)
            foreach (var hook in @namespace.Gateways.OfType<IAfterGatewayInit>())
                hook.AfterInit(@namespace);
    }

    public GatewayOptions Options { get; }

    public IReadOnlyCollection<GatewayNamespace> Namespaces => _namespaces.Values;

    /// <summary>The namespace "chat" or "/chat"; throws when no gateway serves it.</summary>
    public GatewayNamespace Of(string @namespace) =>
        _namespaces.TryGetValue(NormalizeNamespace(@namespace), out var found)
            ? found
            : throw new KeyNotFoundException($"No gateway serves namespace '{@namespace}'.");

    /// <summary>The namespace <typeparamref name="TGateway"/> serves.</summary>
    public GatewayNamespace Of<TGateway>() where TGateway : class => Of(NamespaceOf(typeof(TGateway)));

    public bool TryGetNamespace(string @namespace, out GatewayNamespace found) =>
        _namespaces.TryGetValue(NormalizeNamespace(@namespace), out found!);

    /// <summary>Serves each namespace on plain WebSocket (JSON {event,data}) at its own path: "/" and "/chat".</summary>
    public void MapWebSockets(EndpointRouter router)
    {
        foreach (var @namespace in _namespaces.Values)
            router.MapWebSocket(@namespace.Name, new GatewayWebSocketApplication(@namespace));
    }

    /// <summary>
    /// Serves each namespace on Socket.IO too: a socket.io-client connecting to "/chat" reaches the same handlers,
    /// guards (a refusal answers CONNECT_ERROR <c>{message}</c>), rooms and users as plain-WebSocket clients of "/chat".
    /// Call before serving; a namespace already registered on <paramref name="io"/> throws.
    /// </summary>
    public void MapSocketIo(SocketIoServer io)
    {
        ArgumentNullException.ThrowIfNull(io);
        foreach (var @namespace in _namespaces.Values) io.Add(new SocketIoGatewayNamespace(@namespace));
    }

    /// <summary>"chat" → "/chat"; "" and "/" → "/".</summary>
    public static string NormalizeNamespace(string @namespace)
    {
        ArgumentNullException.ThrowIfNull(@namespace);
        string trimmed = @namespace.Trim('/');
        return trimmed.Length == 0 ? "/" : "/" + trimmed;
    }

    internal static string NamespaceOf(Type gatewayType) =>
        NormalizeNamespace(gatewayType.GetCustomAttribute<GatewayAttribute>()?.Namespace
            ?? throw new InvalidOperationException($"{gatewayType.Name} has no [Gateway] attribute."));

    // The first gateway of the namespace that sets its own rate wins; otherwise the global option.
    private int MessageRateOf(IEnumerable<Type> gatewayTypes) =>
        gatewayTypes.Select(t => t.GetCustomAttribute<GatewayAttribute>()!.MaxMessagesPerSecond).FirstOrDefault(rate => rate >= 0, Options.MaxMessagesPerSecond);

    private static IEnumerable<IGatewayConnectionGuard> ConnectionGuards(Type gatewayType, Func<Type, object> resolveGuard) =>
        gatewayType.GetCustomAttributes<UseGuardsAttribute>()
            .SelectMany(a => a.Guards)
            .Select(resolveGuard)
            .OfType<IGatewayConnectionGuard>();
}

/// <summary>Registers one gateway class (see <see cref="GatewayServiceCollectionExtensions.AddGateway{TGateway}"/>).</summary>
public sealed record GatewayRegistration(Type GatewayType);
