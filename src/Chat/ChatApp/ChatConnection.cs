using System.Security.Claims;
using FastRealtime.Chat.Gateways;
using FastRealtime.Chat.Gateways.Dispatch;

namespace FastRealtime.Chat.ChatApp;

/// <summary>
/// The chat state of one socket: who it is, the rooms it joined through <c>chat:join-room</c>, and its message rate
/// limit. Kept in <see cref="GatewayClient.Data"/>.
/// </summary>
/// <remarks>
/// Not thread-safe, and needs not be: the framework runs one client's handlers and its disconnect hook one at a
/// time, in order. The rooms are kept here, not read from <see cref="GatewayClient.Rooms"/>, because the framework has
/// already removed the client from every room when the disconnect hook runs.
/// </remarks>
internal sealed class ChatConnection
{
    private const string DataKey = "FastRealtime.Chat.ChatConnection";

    private RateLimiter _messageLimit;

    private ChatConnection(ChatUser user, ChatSettings settings)
    {
        User = user;
        _messageLimit = new RateLimiter(settings.MaxMessagesPerSecond, settings.MessageBurst);
    }

    public ChatUser User { get; }

    public HashSet<string> Rooms { get; } = new(StringComparer.Ordinal);

    /// <summary>One more chat message; false when over the socket's rate.</summary>
    public bool TryTakeMessage() => _messageLimit.TryTake();

    /// <summary>The state of an authenticated client; an unauthenticated one is refused with <see cref="WsException"/>.</summary>
    public static ChatConnection Of(GatewayClient client, ChatSettings settings)
    {
        if (client.Data.TryGetValue(DataKey, out var existing) && existing is ChatConnection known) return known;
        var created = new ChatConnection(UserOf(client) ?? throw new WsException("Unauthorized"), settings);
        client.Data[DataKey] = created;
        return created;
    }

    /// <summary>The state if a handler created it (the disconnect hook must not create one).</summary>
    public static ChatConnection? Find(GatewayClient client) =>
        client.Data.TryGetValue(DataKey, out var existing) ? existing as ChatConnection : null;

    /// <summary>The user a connection guard attached: the id it registered, the display name from the "name" claim.</summary>
    public static ChatUser? UserOf(GatewayClient client)
    {
        if (client.UserId is not { } userId) return null;
        string? name = client.User?.FindFirst("name")?.Value ?? client.User?.FindFirst(ClaimTypes.Name)?.Value;
        return new ChatUser(userId, string.IsNullOrWhiteSpace(name) ? userId : name);
    }

    /// <summary>Refuses a request about a room this socket has not joined.</summary>
    public void RequireMember(string roomId)
    {
        if (!Rooms.Contains(roomId)) throw new WsException($"Not a member of room '{roomId}': join it first (chat:join-room).");
    }
}
