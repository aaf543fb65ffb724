using FastRealtime.Core.Rooms;

namespace FastRealtime.Chat.Gateways;

/// <summary>
/// Emits to the clients of one namespace from anywhere (a service, a background job, an HTTP handler):
/// the seed's <c>@WebSocketServer() server</c>. Inject <see cref="IGatewayEmitter{TGateway}"/>, or take a
/// namespace from <see cref="GatewayServer.Of(string)"/>.
/// </summary>
public interface IGatewayEmitter
{
    /// <summary>The namespace name, "/" or "/chat".</summary>
    string Name { get; }

    /// <summary>Every client of the namespace (refine it with Except).</summary>
    GatewayEmission Everyone { get; }

    GatewayEmission To(string room);

    /// <summary>Every member of any of the rooms, each once.</summary>
    GatewayEmission To(params string[] rooms);

    GatewayEmission ToClient(GatewayClient client);

    /// <summary>Every socket (tab, device) of one user.</summary>
    GatewayEmission ToUser(string userId);

    /// <summary>To everyone in the namespace.</summary>
    BroadcastResult Emit<T>(string @event, T data);

    bool IsOnline(string userId);
}

/// <summary>The emitter of the namespace that <typeparamref name="TGateway"/> serves; injectable anywhere.</summary>
public interface IGatewayEmitter<TGateway> : IGatewayEmitter where TGateway : class;
