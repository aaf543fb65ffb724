using System.Text.Json;
using FastRealtime.Chat.Gateways;
using Microsoft.Extensions.Logging.Abstractions;

namespace FastRealtime.Chat.ScaleOut;

/// <summary>
/// Emits to the clients of a FastRealtime cluster from another process, without a socket of ours: publishes the same
/// envelope a node does (<see cref="ScaleOutEnvelope"/>), and every node delivers it to its members.
/// <code>
/// using var emitter = new RedisEmitter("127.0.0.1:6379");
/// emitter.Of("/chat").To("room1").Emit("chat:message", new { text = "hi" });
/// </code>
/// </summary>
/// <remarks>Thread-safe. Emits while Redis is unreachable are dropped (the result says so), never queued.</remarks>
public sealed class RedisEmitter : IDisposable, IAsyncDisposable
{
    private readonly RedisBackplane _backplane;
    private readonly ScaleOutChannels _channels;

    /// <summary>Connects (waiting at most the connect timeout; a Redis that is down is retried in the background).</summary>
    public RedisEmitter(string redis, string channelPrefix = "fastrealtime", JsonSerializerOptions? json = null)
    {
        var settings = new ScaleOutSettings { Redis = redis, ChannelPrefix = channelPrefix };
        _backplane = new RedisBackplane(settings, new ScaleOutMetrics(() => _backplane?.IsConnected == true), NullLogger<RedisBackplane>.Instance);
        _channels = new ScaleOutChannels(channelPrefix);
        Json = json ?? new GatewayOptions().JsonOptions;
        _backplane.StartAsync().GetAwaiter().GetResult();
    }

    /// <summary>The origin id on this emitter's envelopes (never a node's, so every node delivers them).</summary>
    public string OriginId { get; } = "emitter-" + Guid.NewGuid().ToString("N")[..12];

    public bool IsConnected => _backplane.IsConnected;

    internal JsonSerializerOptions Json { get; }

    /// <summary>A namespace: "/chat" or "chat".</summary>
    public RedisEmission Of(string @namespace) => new(this, GatewayServer.NormalizeNamespace(@namespace));

    internal BackplanePublishResult Publish(scoped in GatewayRelayedEmission emission)
    {
        var message = ScaleOutEnvelope.Encode(OriginId, emission) ?? throw new ArgumentException("A room or user name is too long for the envelope.");
        return _backplane.Publish(_channels.Emit(emission.Namespace), message, emission.IsVolatile);
    }

    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    public ValueTask DisposeAsync() => _backplane.DisposeAsync();
}

/// <summary>Who an external emit reaches: everyone in the namespace, rooms (each member once) or one user; minus rooms.</summary>
public readonly struct RedisEmission
{
    private readonly RedisEmitter _emitter;
    private readonly string _namespace;
    private readonly string[] _rooms;
    private readonly string[] _exceptRooms;
    private readonly string? _user;
    private readonly bool _isVolatile;

    internal RedisEmission(RedisEmitter emitter, string @namespace, string[]? rooms = null, string[]? exceptRooms = null, string? user = null,
        bool isVolatile = false)
    {
        _emitter = emitter;
        _namespace = @namespace;
        _rooms = rooms ?? [];
        _exceptRooms = exceptRooms ?? [];
        _user = user;
        _isVolatile = isVolatile;
    }

    public RedisEmission To(string room)
    {
        ArgumentNullException.ThrowIfNull(room);
        if (_user is not null) throw new InvalidOperationException("A message to one user cannot also go to rooms.");
        return new(_emitter, _namespace, [.. _rooms, room], _exceptRooms, null, _isVolatile);
    }

    public RedisEmission In(string room) => To(room);

    public RedisEmission ToUser(string userId)
    {
        ArgumentException.ThrowIfNullOrEmpty(userId);
        if (_rooms.Length > 0) throw new InvalidOperationException("A message to rooms cannot also go to one user.");
        return new(_emitter, _namespace, null, _exceptRooms, userId, _isVolatile);
    }

    public RedisEmission Except(params string[] rooms) => new(_emitter, _namespace, _rooms, [.. _exceptRooms, .. rooms], _user, _isVolatile);

    public RedisEmission Volatile => new(_emitter, _namespace, _rooms, _exceptRooms, _user, isVolatile: true);

    public BackplanePublishResult Emit<T>(string @event, T data)
    {
        ArgumentException.ThrowIfNullOrEmpty(@event);
        var json = JsonSerializer.SerializeToUtf8Bytes(data, _emitter.Json);
        var target = _user is not null ? GatewayRelayTarget.User : _rooms.Length > 0 ? GatewayRelayTarget.Rooms : GatewayRelayTarget.Everyone;
        return _emitter.Publish(new GatewayRelayedEmission(_namespace, target, _rooms, _exceptRooms, null, _user, @event, json, _isVolatile));
    }
}
