using FastRealtime.Chat.Gateways.Dispatch;
using FastRealtime.Chat.Gateways.Serialization;
using System.Text.Json;
using FastRealtime.Core.Rooms;
using FastRealtime.Transport.Http;
using Microsoft.Extensions.Logging;

namespace FastRealtime.Chat.Gateways;

/// <summary>
/// One namespace ("/", "/chat"): its gateways' handlers, its rooms (one <see cref="RoomRegistry"/>), its users
/// (one <see cref="UserRegistry"/>) and its clients' lifecycle. Also the emitter for its clients.
/// </summary>
/// <remarks>Thread-safe. Built once at start-up by <see cref="GatewayServer"/>; its handler table never changes after.</remarks>
public sealed class GatewayNamespace : IGatewayEmitter
{
    private readonly IGatewayConnectionGuard[] _connectionGuards;
    private readonly IOnGatewayConnection[] _connectionHooks;
    private readonly IOnGatewayDisconnect[] _disconnectHooks;

    internal GatewayNamespace(string name, IReadOnlyList<object> gateways, HandlerTable handlers, IGatewayConnectionGuard[] connectionGuards,
        GatewayOptions options, GatewayJson json, IGatewayWireFormat?[] wireFormats, ILogger logger, IGatewayBroadcastRelay? relay = null,
        int? maxMessagesPerSecond = null)
    {
        Relay = relay;
        MaxMessagesPerSecond = maxMessagesPerSecond ?? options.MaxMessagesPerSecond;
        Name = name;
        Gateways = gateways;
        Options = options;
        Json = json;
        WireFormats = wireFormats;
        Logger = logger;
        Dispatcher = new GatewayDispatcher(handlers, options);
        Rooms = new RoomRegistry(new RoomRegistryOptions { MaxRoomsPerMember = options.MaxRoomsPerClient });
        _connectionGuards = connectionGuards;
        HandshakeGuards = connectionGuards.OfType<IGatewayHandshakeGuard>().ToArray();
        _connectionHooks = gateways.OfType<IOnGatewayConnection>().ToArray();
        _disconnectHooks = gateways.OfType<IOnGatewayDisconnect>().ToArray();
    }

    public string Name { get; }

    /// <summary>The gateway instances serving this namespace.</summary>
    public IReadOnlyList<object> Gateways { get; }

    public RoomRegistry Rooms { get; }

    public UserRegistry Users { get; } = new();

    /// <summary>Clients connected now (admitted past the connection guards and not yet gone).</summary>
    public int ClientCount => Rooms.EveryoneCount;

    /// <summary>The events this namespace handles.</summary>
    public IEnumerable<string> Events => Dispatcher.Handlers.Events;

    internal GatewayOptions Options { get; }

    /// <summary>Per-client message rate of this namespace (0 = unlimited): <see cref="GatewayAttribute.MaxMessagesPerSecond"/> or the global option.</summary>
    internal int MaxMessagesPerSecond { get; }
    internal GatewayJson Json { get; }
    internal IGatewayWireFormat?[] WireFormats { get; }
    internal ILogger Logger { get; }
    internal GatewayDispatcher Dispatcher { get; }

    /// <summary>The connection guards that can refuse a plain-WebSocket upgrade from its HTTP request alone.</summary>
    internal IGatewayHandshakeGuard[] HandshakeGuards { get; }

    /// <summary>The scale-out relay (null on a single node): told of every emission that is not to one client.</summary>
    internal IGatewayBroadcastRelay? Relay { get; }

    public GatewayEmission Everyone => new(this);

    public GatewayEmission To(string room) => Everyone.To(room);

    public GatewayEmission To(params string[] rooms)
    {
        ArgumentNullException.ThrowIfNull(rooms);
        var emission = Everyone;
        foreach (var room in rooms) emission = emission.To(room);
        return emission;
    }

    public GatewayEmission ToClient(GatewayClient client) => Everyone.ToClient(client);

    public GatewayEmission ToUser(string userId) => Everyone.ToUser(userId);

    public BroadcastResult Emit<T>(string @event, T data) => Everyone.Emit(@event, data);

    public bool IsOnline(string userId) => Users.IsOnline(userId);

    /// <summary>
    /// Delivers an emission that another node (or an external emitter) relayed, to this node's own members only: the
    /// same local broadcast as an emit here (one frame per wire protocol present), never relayed again.
    /// <see cref="GatewayRelayedEmission.ExceptClientId"/> is not applied (it names a client of the emitting node).
    /// </summary>
    public BroadcastResult DeliverRelayed(scoped in GatewayRelayedEmission emission)
    {
        var encoder = new GatewayEventEncoder(WireFormats, Name, emission.Event, emission.DataJson);
        var target = emission.Target switch
        {
            GatewayRelayTarget.Rooms when emission.Rooms.Length == 1 => BroadcastTarget.ToRoom(emission.Rooms[0]),
            GatewayRelayTarget.Rooms => BroadcastTarget.ToRooms(emission.Rooms),
            GatewayRelayTarget.User => BroadcastTarget.ToMembers(Users.SocketsOf(emission.UserId ?? "")),
            _ => BroadcastTarget.ToEveryone(),
        };
        if (!emission.ExceptRooms.IsEmpty) target = target.ExceptRooms(emission.ExceptRooms);
        return Rooms.Broadcast(in target, encoder, emission.IsVolatile);
    }

    /// <summary>
    /// A new client on <paramref name="transport"/>; then <see cref="Connect"/> on its message sequence.
    /// <paramref name="memberId"/> is unique among this namespace's clients; <paramref name="id"/> defaults to it as text.
    /// </summary>
    internal GatewayClient CreateClient(IGatewayTransport transport, long memberId, string? id = null)
    {
        RequireWireFormat(transport.ProtocolIndex);
        return new GatewayClient(this, transport, memberId, id ?? memberId.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    internal void RequireWireFormat(int protocolIndex)
    {
        if ((uint)protocolIndex >= (uint)WireFormats.Length || WireFormats[protocolIndex] is null)
            throw new InvalidOperationException($"No gateway wire format is registered for protocol {protocolIndex}.");
    }

    /// <summary>Connection guards, then admission (everyone set, user registry), then the connection hooks.</summary>
    internal ValueTask Connect(GatewayClient client, HttpRequestHead? request, JsonElement? auth = null)
    {
        for (int i = 0; i < _connectionGuards.Length; i++)
        {
            ValueTask<bool> decision;
            try
            {
                decision = _connectionGuards[i].CanConnect(new GatewayConnectionContext(client, request, auth));
            }
            catch (Exception e)
            {
                Refuse(client, e);
                return default;
            }
            if (!decision.IsCompletedSuccessfully) return ConnectAfterGuardAsync(client, request, auth, i, decision);
            if (!decision.Result)
            {
                Refuse(client, GatewayDispatcher.ForbiddenMessage);
                return default;
            }
        }
        return Admit(client);
    }

    private async ValueTask ConnectAfterGuardAsync(GatewayClient client, HttpRequestHead? request, JsonElement? auth, int guardIndex,
        ValueTask<bool> pending)
    {
        bool allowed;
        try
        {
            allowed = await pending.ConfigureAwait(false);
            for (int i = guardIndex + 1; allowed && i < _connectionGuards.Length; i++)
                allowed = await _connectionGuards[i].CanConnect(new GatewayConnectionContext(client, request, auth)).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            Refuse(client, e);
            return;
        }
        if (!allowed)
        {
            Refuse(client, GatewayDispatcher.ForbiddenMessage);
            return;
        }
        await Admit(client).ConfigureAwait(false);
    }

    private void Refuse(GatewayClient client, Exception exception)
    {
        if (exception is not WsException) Logger.LogError(exception, "Connection guard failed for {Client}", client);
        Refuse(client, exception is WsException ? exception.Message : GatewayExceptionReply.InternalError);
    }

    private static void Refuse(GatewayClient client, string message)
    {
        GatewayExceptionReply.Send(client, null, default, default, message);
        client.Refuse(message);
    }

    private ValueTask Admit(GatewayClient client)
    {
        if (!client.MarkConnected()) return default; // went away while the guards ran
        client.OnAdmitted();
        Rooms.AddMember(client); // refused (false) when a disconnect already removed it: nothing leaks
        return RunHooks(client, _connectionHooks, static (hook, c) => ((IOnGatewayConnection)hook).HandleConnection(c), closeOnFailure: true);
    }

    /// <summary>Transport ended (receive path): leave everything now, so no emit reaches it; hooks follow in order.</summary>
    internal void OnTransportClosed(GatewayClient client)
    {
        var previous = client.MarkDisconnected();
        Rooms.RemoveMember(client);
        if (client.UserId is { } userId) Users.Remove(userId, client);
        if (previous == GatewayClient.ClientState.Connected) client.DeliverDisconnect();
    }

    internal ValueTask RunDisconnectHooks(GatewayClient client) =>
        RunHooks(client, _disconnectHooks, static (hook, c) => ((IOnGatewayDisconnect)hook).HandleDisconnect(c), closeOnFailure: false);

    private ValueTask RunHooks(GatewayClient client, object[] hooks, Func<object, GatewayClient, ValueTask> run, bool closeOnFailure)
    {
        for (int i = 0; i < hooks.Length; i++)
        {
            ValueTask pending;
            try
            {
                pending = run(hooks[i], client);
                if (pending.IsCompletedSuccessfully) continue;
            }
            catch (Exception e)
            {
                HookFailed(client, hooks[i], e, closeOnFailure);
                continue;
            }
            return RunHooksAsync(client, hooks, i, pending, run, closeOnFailure);
        }
        return default;
    }

    private async ValueTask RunHooksAsync(GatewayClient client, object[] hooks, int index, ValueTask pending,
        Func<object, GatewayClient, ValueTask> run, bool closeOnFailure)
    {
        for (int i = index; i < hooks.Length; i++)
        {
            try
            {
                await (i == index ? pending : run(hooks[i], client)).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                HookFailed(client, hooks[i], e, closeOnFailure);
            }
        }
    }

    private void HookFailed(GatewayClient client, object hook, Exception e, bool close)
    {
        Logger.LogError(e, "{Hook} failed for {Client}", hook.GetType().Name, client);
        if (close) client.Disconnect();
    }

    public override string ToString() => $"namespace {Name}";
}
