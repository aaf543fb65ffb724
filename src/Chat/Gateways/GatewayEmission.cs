using FastRealtime.Chat.Gateways.Serialization;
using FastRealtime.Core.Buffers;
using FastRealtime.Core.Rooms;

namespace FastRealtime.Chat.Gateways;

/// <summary>
/// Who an emit reaches, built fluently (the seed's list): <c>server.To("general").Except(client).Emit(...)</c>,
/// <c>server.To("a").To("b")</c> (each recipient once), <c>server.To("general").Except("admins")</c>,
/// <c>server.ToUser(id)</c> (every socket of the user), <c>server.ToClient(c)</c>, <c>server.Emit(...)</c> (everyone).
/// </summary>
/// <remarks>
/// <see cref="Emit{T}"/> serializes the data once to UTF-8 JSON, frames it once per wire protocol present among the
/// recipients, and enqueues the shared frame on each (lock-free, never blocks; a slow client is dropped or closed by
/// its own outbound bound). A value type: building a target allocates only when it names several rooms.
/// </remarks>
public readonly struct GatewayEmission
{
    private enum TargetKind : byte { Everyone, Rooms, Client, User }

    private readonly GatewayNamespace _namespace;
    private readonly TargetKind _kind;
    private readonly string[]? _rooms;
    private readonly GatewayClient? _client;
    private readonly string? _name; // User: the user id; Rooms with one room: that room (no array for the common case)
    private readonly GatewayClient? _except;
    private readonly string[]? _exceptRooms;
    private readonly bool _isVolatile;

    internal GatewayEmission(GatewayNamespace @namespace) : this(@namespace, TargetKind.Everyone, null, null, null, null, null, false) { }

    private GatewayEmission(GatewayNamespace @namespace, TargetKind kind, string[]? rooms, GatewayClient? client, string? name,
        GatewayClient? except, string[]? exceptRooms, bool isVolatile)
    {
        _namespace = @namespace;
        _kind = kind;
        _rooms = rooms;
        _client = client;
        _name = name;
        _except = except;
        _exceptRooms = exceptRooms;
        _isVolatile = isVolatile;
    }

    /// <summary>Adds a room: the members of any of the rooms named so far receive the message, each once.</summary>
    public GatewayEmission To(string room)
    {
        ArgumentNullException.ThrowIfNull(room);
        if (_kind is TargetKind.Client or TargetKind.User)
            throw new InvalidOperationException("A message to one client or one user cannot also go to rooms.");
        // One room (the common case) is kept without an array; the second one allocates the list.
        if (_kind != TargetKind.Rooms)
            return new(_namespace, TargetKind.Rooms, null, null, room, _except, _exceptRooms, _isVolatile);
        string[] rooms = _rooms is null ? [_name!, room] : [.. _rooms, room];
        return new(_namespace, TargetKind.Rooms, rooms, null, null, _except, _exceptRooms, _isVolatile);
    }

    /// <summary>Same as <see cref="To(string)"/> (Socket.IO's alias).</summary>
    public GatewayEmission In(string room) => To(room);

    internal GatewayEmission ToClient(GatewayClient client) =>
        new(_namespace, TargetKind.Client, null, client ?? throw new ArgumentNullException(nameof(client)), null, _except, _exceptRooms, _isVolatile);

    internal GatewayEmission ToUser(string userId) =>
        new(_namespace, TargetKind.User, null, null, userId ?? throw new ArgumentNullException(nameof(userId)), _except, _exceptRooms, _isVolatile);

    /// <summary>Skips one client (the sender). Null skips nobody.</summary>
    public GatewayEmission Except(GatewayClient? client) =>
        new(_namespace, _kind, _rooms, _client, _name, client, _exceptRooms, _isVolatile);

    /// <summary>Skips every member of these rooms.</summary>
    public GatewayEmission Except(params string[] rooms)
    {
        ArgumentNullException.ThrowIfNull(rooms);
        string[] excluded = _exceptRooms is null ? rooms : [.. _exceptRooms, .. rooms];
        return new(_namespace, _kind, _rooms, _client, _name, _except, excluded, _isVolatile);
    }

    /// <summary>Recipients that are behind may drop this message instead of queueing it (typing indicators and the like).</summary>
    public GatewayEmission Volatile => new(_namespace, _kind, _rooms, _client, _name, _except, _exceptRooms, isVolatile: true);

    public BroadcastResult Emit<T>(string @event, T data)
    {
        ArgumentNullException.ThrowIfNull(@event);
        if (_namespace is null) throw new InvalidOperationException("Start from a GatewayNamespace (server.To(...), client.To(...)).");
        var json = _namespace.Json;
        var scratch = json.Serialize(data, json.TypeInfo<T>());
        try
        {
            var encoder = new GatewayEventEncoder(_namespace.WireFormats, _namespace.Name, @event, scratch.WrittenSpan);
            var target = _kind switch
            {
                TargetKind.Rooms when _rooms is null => BroadcastTarget.ToRoom(_name!),
                TargetKind.Rooms => BroadcastTarget.ToRooms(_rooms),
                TargetKind.Client => BroadcastTarget.ToMember(_client!),
                TargetKind.User => BroadcastTarget.ToMembers(_namespace.Users.SocketsOf(_name!)),
                _ => BroadcastTarget.ToEveryone(),
            };
            if (_except is not null) target = target.Except(_except);
            if (_exceptRooms is { Length: > 0 }) target = target.ExceptRooms(_exceptRooms);
            var result = _namespace.Rooms.Broadcast(in target, encoder, _isVolatile);
            if (_kind != TargetKind.Client && _namespace.Relay is { } relay) RelayTo(relay, @event, scratch.WrittenSpan);
            return result;
        }
        finally
        {
            scratch.Return();
        }
    }

    /// <summary>Hands the emission to the scale-out relay (other nodes deliver it to their own members).</summary>
    private void RelayTo(IGatewayBroadcastRelay relay, string @event, ReadOnlySpan<byte> data)
    {
        string room = _name ?? "";
        ReadOnlySpan<string> rooms = _kind != TargetKind.Rooms ? default : _rooms is not null ? _rooms : new ReadOnlySpan<string>(in room);
        var target = _kind switch
        {
            TargetKind.Rooms => GatewayRelayTarget.Rooms,
            TargetKind.User => GatewayRelayTarget.User,
            _ => GatewayRelayTarget.Everyone,
        };
        relay.Relay(new GatewayRelayedEmission(_namespace.Name, target, rooms, _exceptRooms, _except?.Id,
            _kind == TargetKind.User ? _name : null, @event, data, _isVolatile));
    }
}

/// <summary>Frames one serialized event per wire protocol, on demand, for a broadcast.</summary>
internal readonly ref struct GatewayEventEncoder : IBroadcastEncoder
{
    private readonly IGatewayWireFormat?[] _formats;
    private readonly string _namespace;
    private readonly string _event;
    private readonly ReadOnlySpan<byte> _data;

    public GatewayEventEncoder(IGatewayWireFormat?[] formats, string @namespace, string @event, ReadOnlySpan<byte> data)
    {
        _formats = formats;
        _namespace = @namespace;
        _event = @event;
        _data = data;
    }

    public SharedBuffer Encode(int protocolIndex) =>
        ((uint)protocolIndex < (uint)_formats.Length ? _formats[protocolIndex] : null)?.EncodeEvent(_namespace, _event, default, _data)
        ?? throw new InvalidOperationException($"No gateway wire format is registered for protocol {protocolIndex}.");
}
