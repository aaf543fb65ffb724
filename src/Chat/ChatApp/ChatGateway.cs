using FastRealtime.Chat.Auth;
using FastRealtime.Chat.Gateways;
using FastRealtime.Chat.History;
using Microsoft.Extensions.Logging;

namespace FastRealtime.Chat.ChatApp;

/// <summary>
/// Seed 002's chat on namespace <c>/chat</c> (shared/spec/chat-protocol.md): rooms, messages stored before their ack,
/// typing indicators, per-user presence, and history paging (beyond the seeds). Served on Socket.IO and on plain
/// WebSocket (JSON <c>{event, data, id}</c>) at /chat alike.
/// </summary>
/// <remarks>
/// Every handler needs an authenticated socket (the connection guard attaches the user). One socket's handlers run one
/// at a time, so its <see cref="ChatConnection"/> needs no lock; sockets of the same user race only in
/// <see cref="IChatPresenceDirectory"/>, which is thread-safe (and cluster-wide with scale-out).
/// </remarks>
[Gateway(Namespace = "chat")]
[UseGuards(typeof(JwtConnectionGuard))]
public sealed class ChatGateway(IChatHistoryStore store, IChatPresenceDirectory presence, ChatMetrics metrics, ChatSettings settings,
    ILogger<ChatGateway> logger) : IOnGatewayDisconnect
{
    /// <summary>
    /// Joins the room (idempotent), announces the user when this is their first socket there, and answers the room's
    /// users and recent messages. The socket is in the room before the history is read, so a message sent meanwhile may
    /// arrive both ways (clients de-duplicate by id) but is never missed.
    /// </summary>
    [SubscribeMessage(ChatEvents.JoinRoom)]
    public async ValueTask<JoinRoomAck> JoinRoom(RoomRequest request, GatewayClient client)
    {
        var connection = ChatConnection.Of(client, settings);
        string roomId = request.RoomId;
        if (!connection.Rooms.Contains(roomId))
        {
            switch (client.Join(roomId))
            {
                case Core.Rooms.RoomJoinResult.TooManyRooms: throw new WsException("Too many rooms joined: leave one first.");
                case Core.Rooms.RoomJoinResult.MemberRemoved: throw new WsException("Disconnected.");
            }
            connection.Rooms.Add(roomId);
            if (await presence.JoinAsync(roomId, connection.User).ConfigureAwait(false))
                await ChatAnnouncements.UserJoinedAsync(client, presence, roomId, connection.User).ConfigureAwait(false);
            logger.LogDebug("{User} joined room {Room} on {Client}", connection.User.UserId, roomId, client.Id);
        }
        var recent = await store.GetRecentAsync(roomId, settings.RecentMessages).ConfigureAwait(false);
        return new JoinRoomAck(roomId, await presence.UsersInAsync(roomId).ConfigureAwait(false), ChatMessagePayload.From(recent));
    }

    [SubscribeMessage(ChatEvents.LeaveRoom)]
    public async ValueTask LeaveRoom(RoomRequest request, GatewayClient client)
    {
        var connection = ChatConnection.Of(client, settings);
        if (!connection.Rooms.Remove(request.RoomId)) return; // not a member: nothing to leave
        client.Leave(request.RoomId);
        await LeftRoomAsync(client.Namespace, connection.User, request.RoomId).ConfigureAwait(false);
    }

    /// <summary>
    /// Stores the message, then acks it and sends it to the room except the sender. A store failure answers
    /// <c>exception</c>: no ack, no broadcast, so an acked message is always in the history.
    /// </summary>
    [SubscribeMessage(ChatEvents.SendMessage)]
    public async ValueTask<MessageAck> SendMessage(SendMessageRequest request, GatewayClient client)
    {
        var connection = ChatConnection.Of(client, settings);
        connection.RequireMember(request.RoomId);
        if (!connection.TryTakeMessage())
        {
            metrics.RateLimited();
            throw new WsException($"Rate limit exceeded: at most {settings.MaxMessagesPerSecond} messages per second.");
        }
        metrics.Received();
        var now = DateTimeOffset.UtcNow;
        var user = connection.User;
        var message = new ChatMessage(ChatMessageId.New(), user.UserId, user.UserName, request.RoomId, request.Text, now);
        try
        {
            await store.AppendAsync(message).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            metrics.StoreFailed();
            logger.LogError(e, "Storing message {Id} of {User} in {Room} failed", message.Id, user.UserId, request.RoomId);
            throw new WsException("The message could not be stored; it was not sent.");
        }
        metrics.Stored();
        var payload = ChatMessagePayload.From(message);
        var sent = client.To(request.RoomId).Emit(ChatEvents.Message, payload);
        metrics.Delivered(sent.Queued);
        metrics.Acked();
        return new MessageAck(message.Id, "delivered", payload.SentAt);
    }

    [SubscribeMessage(ChatEvents.TypingStart)]
    public void TypingStart(RoomRequest request, GatewayClient client) => Typing(request.RoomId, client, isTyping: true);

    [SubscribeMessage(ChatEvents.TypingStop)]
    public void TypingStop(RoomRequest request, GatewayClient client) => Typing(request.RoomId, client, isTyping: false);

    /// <summary>Beyond the seeds: a page of older messages, oldest first, for members of the room.</summary>
    [SubscribeMessage(ChatEvents.History)]
    public async ValueTask<HistoryPage> History(HistoryRequest request, GatewayClient client)
    {
        ChatConnection.Of(client, settings).RequireMember(request.RoomId);
        int limit = request.Limit <= 0 ? settings.RecentMessages : Math.Min(request.Limit, settings.MaxHistoryPage);
        var page = await store.GetRecentAsync(request.RoomId, limit, request.Before).ConfigureAwait(false);
        return new HistoryPage(request.RoomId, ChatMessagePayload.From(page));
    }

    /// <summary>The socket left every room already (framework); the user leaves those where this was their last socket.</summary>
    public async ValueTask HandleDisconnect(GatewayClient client)
    {
        if (ChatConnection.Find(client) is not { } connection) return;
        foreach (string roomId in connection.Rooms) await LeftRoomAsync(client.Namespace, connection.User, roomId).ConfigureAwait(false);
        connection.Rooms.Clear();
    }

    private void Typing(string roomId, GatewayClient client, bool isTyping)
    {
        var connection = ChatConnection.Of(client, settings);
        connection.RequireMember(roomId);
        var user = connection.User;
        // Volatile: a typing indicator is stale by the time a slow reader would get it.
        client.To(roomId).Volatile.Emit(ChatEvents.Typing, new TypingEvent(user.UserId, user.UserName, roomId, isTyping));
    }

    private async ValueTask LeftRoomAsync(GatewayNamespace chat, ChatUser user, string roomId)
    {
        if (!await presence.LeaveAsync(roomId, user).ConfigureAwait(false)) return; // another socket of the user is still there
        await ChatAnnouncements.UserLeftAsync(chat, presence, roomId, user).ConfigureAwait(false);
        logger.LogDebug("{User} left room {Room}", user.UserId, roomId);
    }
}
