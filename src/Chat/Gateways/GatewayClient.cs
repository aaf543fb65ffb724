using System.Security.Claims;
using FastRealtime.Core.Buffers;
using FastRealtime.Core.Connections;
using FastRealtime.Core.Rooms;
using FastRealtime.Chat.Gateways.Dispatch;

namespace FastRealtime.Chat.Gateways;

/// <summary>
/// One connected client of a namespace (the seed's <c>client</c> / Socket.IO <c>socket</c>): identity, user, state,
/// rooms, and ways to reach it and others. It is the <see cref="IRoomMember"/> that broadcasts reach.
/// </summary>
/// <remarks>
/// Thread safety: the emitting members, <see cref="Join"/>, <see cref="Leave"/> and <see cref="Disconnect"/> may be
/// called from any thread. <see cref="Data"/> is a plain dictionary meant for the client's own handlers, which run
/// one at a time per client.
/// </remarks>
public sealed partial class GatewayClient : IRoomMember
{
    private readonly IGatewayTransport _transport;
    private Dictionary<string, object?>? _data;
    private CancellationTokenSource? _disconnected;
    private int _state; // ClientState
    private string? _userId;
    private RateLimiter _rateLimiter;

    internal GatewayClient(GatewayNamespace @namespace, IGatewayTransport transport, long memberId, string id)
    {
        Namespace = @namespace;
        _transport = transport;
        MemberId = memberId;
        Id = id;
        _rateLimiter = new RateLimiter(@namespace.MaxMessagesPerSecond, @namespace.Options.MessageBurst);
    }

    /// <summary>Unique on this server: the connection id as text on plain WebSocket, the socket id (<c>socket.id</c>) on Socket.IO.</summary>
    public string Id { get; }

    public long MemberId { get; }

    public GatewayNamespace Namespace { get; }

    /// <summary>The authenticated user (set by a connection guard through <see cref="Authenticate"/>).</summary>
    public ClaimsPrincipal? User { get; private set; }

    /// <summary>The user id this client is registered under for "send to user"; null until authenticated.</summary>
    public string? UserId => Volatile.Read(ref _userId);

    /// <summary>Free per-connection state (the seed's <c>client.data</c>).</summary>
    public IDictionary<string, object?> Data => _data ??= new Dictionary<string, object?>(StringComparer.Ordinal);

    /// <summary>The rooms this client is in (the registry keeps it; read it without locks).</summary>
    public RoomMembership Rooms { get; } = new();

    public bool IsConnected => Volatile.Read(ref _state) == (int)ClientState.Connected;

    /// <summary>Cancelled when the client disconnects (handlers can take it as a CancellationToken parameter).</summary>
    public CancellationToken Disconnected
    {
        get
        {
            if (_disconnected is { } existing) return existing.Token;
            var created = new CancellationTokenSource();
            var winner = Interlocked.CompareExchange(ref _disconnected, created, null) ?? created;
            if (!ReferenceEquals(winner, created)) created.Dispose();
            if (Volatile.Read(ref _state) == (int)ClientState.Disconnected) winner.Cancel();
            return winner.Token;
        }
    }

    int IRoomMember.ProtocolIndex => _transport.ProtocolIndex;

    /// <summary>
    /// The format of the client's protocol now: a Socket.IO client moves from polling (2) to WebSocket (1) on upgrade,
    /// and its direct sends follow (a frame built just before the switch is converted by the session, not lost).
    /// </summary>
    internal IGatewayWireFormat WireFormat => Namespace.WireFormats[_transport.ProtocolIndex]!;

    /// <summary>
    /// The binary attachments of the request being handled (Socket.IO), kept until the next request: the client's later
    /// messages wait while a handler runs, so an asynchronous reply still finds its own request's.
    /// </summary>
    internal ReadOnlyMemory<byte>[]? RequestAttachments { get; set; }

    SendResult IRoomMember.Send(SharedBuffer frame, bool isVolatile) => _transport.Send(frame, isVolatile);

    /// <summary>
    /// Registers this client under <paramref name="userId"/> (one user, many sockets) and attaches the user.
    /// Call once, normally from a connection guard; a second call with another id is refused.
    /// </summary>
    public void Authenticate(string userId, ClaimsPrincipal? user = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(userId);
        if (Interlocked.CompareExchange(ref _userId, userId, null) is { } existing && existing != userId)
            throw new InvalidOperationException("This client is already authenticated as another user.");
        User = user;
        if (Volatile.Read(ref _state) == (int)ClientState.Connected) RegisterUser(userId);
    }

    /// <summary>Joins a room of this namespace (the server decides; clients cannot join by themselves).</summary>
    public RoomJoinResult Join(string room) => Namespace.Rooms.Join(this, room);

    public bool Leave(string room) => Namespace.Rooms.Leave(this, room);

    /// <summary>Sends one event to this client only.</summary>
    public SendResult Emit<T>(string @event, T data, bool isVolatile = false)
    {
        var json = Namespace.Json;
        var scratch = json.Serialize(data, json.TypeInfo<T>());
        try
        {
            return SendOwned(WireFormat.EncodeEvent(Namespace.Name, @event, default, scratch.WrittenSpan), isVolatile);
        }
        finally
        {
            scratch.Return();
        }
    }

    /// <summary>Everyone in <paramref name="room"/> except this client (Socket.IO's <c>socket.to(room)</c>).</summary>
    public GatewayEmission To(string room) => Namespace.To(room).Except(this);

    /// <summary>Everyone in the namespace except this client (Socket.IO's <c>socket.broadcast</c>).</summary>
    public GatewayEmission Broadcast => Namespace.Everyone.Except(this);

    /// <summary>Closes the connection; <see cref="IOnGatewayDisconnect"/> follows as for any disconnect.</summary>
    public void Disconnect() => _transport.Close("disconnected by the server", policyViolation: false);

    internal void Refuse(string reason) => _transport.Close(reason, policyViolation: true);

    internal void OnAdmitted() => _transport.Admitted();

    /// <summary>
    /// A handler's reply or ack. Without <paramref name="attachments"/>, a reply that refers to binary placeholders gets
    /// the request's own attachments (an echo: seed 001's <c>identity</c> returns a Buffer unchanged).
    /// </summary>
    internal void SendReply(string @event, ReadOnlySpan<byte> ackId, ReadOnlySpan<byte> dataJson, ReadOnlySpan<ReadOnlyMemory<byte>> attachments = default)
    {
        var format = WireFormat;
        if (attachments.IsEmpty && RequestAttachments is { } echoed && format.SupportsBinaryAttachments
            && dataJson.IndexOf("\"_placeholder\""u8) >= 0)
            attachments = echoed;
        SendOwned(format.EncodeReply(Namespace.Name, @event, ackId, dataJson, attachments));
    }

    internal SendResult SendOwned(SharedBuffer? frame, bool isVolatile = false)
    {
        if (frame is null) return SendResult.Queued;
        var result = _transport.Send(frame, isVolatile);
        frame.Release();
        return result;
    }

    /// <summary>Connected: guards passed and the client is in the namespace's everyone set.</summary>
    internal bool MarkConnected()
    {
        if (Interlocked.CompareExchange(ref _state, (int)ClientState.Connected, (int)ClientState.Connecting) != (int)ClientState.Connecting)
            return false;
        if (UserId is { } userId) RegisterUser(userId);
        return true;
    }

    // A disconnect racing this add removes after its state change; re-checking after the add closes the gap, so a
    // gone client never stays registered (both sides may remove; removing twice is harmless).
    private void RegisterUser(string userId)
    {
        Namespace.Users.Add(userId, this);
        if (Volatile.Read(ref _state) == (int)ClientState.Disconnected) Namespace.Users.Remove(userId, this);
    }

    /// <summary>The transport ended. Returns the state it was in (only a connected client gets the disconnect hook).</summary>
    internal ClientState MarkDisconnected()
    {
        var previous = (ClientState)Interlocked.Exchange(ref _state, (int)ClientState.Disconnected);
        if (previous != ClientState.Disconnected) _disconnected?.Cancel();
        return previous;
    }

    public override string ToString() => $"client {Id} of {Namespace.Name}";

    internal enum ClientState { Connecting, Connected, Disconnected }
}
