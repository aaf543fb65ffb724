using System.Collections.Concurrent;
using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using FastRealtime.Chat.Gateways;

namespace FastRealtime.Tests.Gateways;

public sealed record RoomPayload([property: Required] string Room);

public sealed record RoomTextPayload([property: Required] string Room, string Text);

public sealed record RoomsTextPayload(string[] Rooms, string Text);

public sealed record ExceptRoomPayload(string Room, string ExceptRoom, string Text);

public sealed record ClientTextPayload(string ClientId, string Text);

public sealed record UserTextPayload(string UserId, string Text);

public sealed class SendMessageDto
{
    [Required, StringLength(50)]
    public string? RoomId { get; init; }

    [Required, StringLength(2000, MinimumLength = 1)]
    public string? Text { get; init; }

    public MessageMeta? Meta { get; init; }
}

public sealed class MessageMeta
{
    [RegularExpression("^[a-z]+$")]
    public string? Tag { get; init; }
}

/// <summary>A gateway exercising every part of the framework; namespace "test", so served at /test.</summary>
[Gateway(Namespace = "test")]
[UseGuards(typeof(QueryUserConnectionGuard))]
public sealed class TestGateway(IGatewayEmitter<TestGateway> server) : IOnGatewayConnection, IOnGatewayDisconnect, IAfterGatewayInit
{
    public ConcurrentDictionary<string, GatewayClient> Clients { get; } = new();

    public int Connects;
    public int Disconnects;
    public GatewayNamespace? InitializedWith { get; private set; }

    public void AfterInit(GatewayNamespace server) => InitializedWith = server;

    public ValueTask HandleConnection(GatewayClient client)
    {
        Clients[client.Id] = client;
        Interlocked.Increment(ref Connects);
        return ValueTask.CompletedTask;
    }

    public ValueTask HandleDisconnect(GatewayClient client)
    {
        Clients.TryRemove(client.Id, out _);
        Interlocked.Increment(ref Disconnects);
        return ValueTask.CompletedTask;
    }

    [SubscribeMessage("probe")]
    public string Probe() => "probe";

    [SubscribeMessage("whoami")]
    public object WhoAmI(GatewayClient client) => new { client.Id, client.UserId };

    [SubscribeMessage("join")]
    public string Join(GatewayClient client, RoomPayload payload) => client.Join(payload.Room).ToString();

    [SubscribeMessage("leave")]
    public bool Leave(RoomPayload payload, GatewayClient client) => client.Leave(payload.Room);

    [SubscribeMessage("to-room")]
    public int ToRoomExceptSender(RoomTextPayload payload, GatewayClient client) =>
        client.To(payload.Room).Emit("msg", payload.Text).Recipients;

    [SubscribeMessage("to-room-all")]
    public int ToRoomIncludingSender(RoomTextPayload payload) => server.To(payload.Room).Emit("msg", payload.Text).Recipients;

    [SubscribeMessage("to-rooms")]
    public int ToRooms(RoomsTextPayload payload) => server.To(payload.Rooms).Emit("msg", payload.Text).Recipients;

    [SubscribeMessage("to-room-except-room")]
    public int ToRoomExceptRoom(ExceptRoomPayload payload) =>
        server.To(payload.Room).Except(payload.ExceptRoom).Emit("msg", payload.Text).Recipients;

    [SubscribeMessage("to-client")]
    public int ToClient(ClientTextPayload payload) => server.ToClient(Clients[payload.ClientId]).Emit("msg", payload.Text).Recipients;

    [SubscribeMessage("everyone")]
    public int Everyone(string text) => server.Emit("msg", text).Recipients;

    [SubscribeMessage("broadcast")]
    public int BroadcastExceptSender(string text, GatewayClient client) => client.Broadcast.Emit("msg", text).Recipients;

    [SubscribeMessage("to-user")]
    public int ToUser(UserTextPayload payload) => server.ToUser(payload.UserId).Emit("msg", payload.Text).Recipients;

    [SubscribeMessage("validate")]
    public string Validate(SendMessageDto dto) => "ok:" + dto.Text;

    [SubscribeMessage("number")]
    public int Twice(int value) => value * 2;

    [SubscribeMessage("throw")]
    public string Throw() => throw new InvalidOperationException("secret detail");

    [SubscribeMessage("user-error")]
    public string UserError() => throw new WsException("You may not do that");

    [SubscribeMessage("throw-async")]
    public async Task<string> ThrowAsync()
    {
        await Task.Yield();
        throw new InvalidOperationException("secret async detail");
    }

    [SubscribeMessage("slow")]
    public async Task<int> Slow(int value, CancellationToken cancellationToken)
    {
        await Task.Delay(50, cancellationToken);
        return value;
    }

    [SubscribeMessage("fast")]
    public int Fast(int value) => value;

    /// <summary>Any payload back unchanged (Socket.IO: binary attachments included).</summary>
    [SubscribeMessage("echo")]
    public JsonElement Echo(JsonElement data) => data;

    /// <summary>Bytes 0..count-1: a Buffer (BINARY_ACK) on Socket.IO, a base64 string on plain WebSocket.</summary>
    [SubscribeMessage("bytes")]
    public byte[] Bytes(int count) => Enumerable.Range(0, count).Select(i => (byte)i).ToArray();

    [SubscribeMessage("bytes-async")]
    public async Task<ReadOnlyMemory<byte>> BytesAsync(int count)
    {
        await Task.Yield();
        return Bytes(count);
    }

    [SubscribeMessage("nothing")]
    public void Nothing(GatewayClient client) { }

    [SubscribeMessage("response")]
    public WsResponse<string> Response(string text) => new("answered", text);

    [SubscribeMessage("disconnect-me")]
    public void DisconnectMe(GatewayClient client) => client.Disconnect();

    [SubscribeMessage("guarded")]
    [UseGuards(typeof(DenyGuard))]
    public string Guarded() => "ran";

    [SubscribeMessage("guarded-async")]
    [UseGuards(typeof(AllowAfterYieldGuard))]
    public string GuardedAsync() => "ran";
}

/// <summary>
/// Authenticates from Socket.IO's auth payload <c>{user}</c> or the handshake's <c>?user=</c>; refuses "banned" (with a
/// message) and "refused" (forbidden): the WebSocket is closed, Socket.IO answers CONNECT_ERROR.
/// </summary>
public sealed class QueryUserConnectionGuard : IGatewayConnectionGuard
{
    public ValueTask<bool> CanConnect(GatewayConnectionContext context)
    {
        string? user = context.Auth is { ValueKind: JsonValueKind.Object } auth && auth.TryGetProperty("user", out var fromAuth)
            ? fromAuth.GetString()
            : context.Request?.GetQueryValue("user");
        if (user == "banned") throw new WsException("Banned user");
        if (user == "refused") return ValueTask.FromResult(false);
        if (!string.IsNullOrEmpty(user)) context.Client.Authenticate(user);
        return ValueTask.FromResult(true);
    }
}

public sealed class DenyGuard : IGatewayGuard
{
    public ValueTask<bool> CanActivate(GatewayExecutionContext context) => ValueTask.FromResult(false);
}

public sealed class AllowAfterYieldGuard : IGatewayGuard
{
    public async ValueTask<bool> CanActivate(GatewayExecutionContext context)
    {
        await Task.Yield();
        return true;
    }
}
