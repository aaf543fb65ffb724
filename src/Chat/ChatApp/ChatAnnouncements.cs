using FastRealtime.Chat.Gateways;

namespace FastRealtime.Chat.ChatApp;

/// <summary>The presence events a room gets when a user arrives or goes (with scale-out they reach every node).</summary>
internal static class ChatAnnouncements
{
    /// <summary><c>chat:user-joined</c> to the room except <paramref name="joiner"/>, then <c>chat:room-users</c> to all of it.</summary>
    public static async ValueTask UserJoinedAsync(GatewayClient joiner, IChatPresenceDirectory directory, string roomId, ChatUser user)
    {
        joiner.To(roomId).Emit(ChatEvents.UserJoined, new UserJoinedEvent(user.UserId, user.UserName, roomId, IsoTime.Now()));
        await RoomUsersAsync(joiner.Namespace.To(roomId), directory, roomId).ConfigureAwait(false);
    }

    /// <summary><c>chat:user-left</c>, then <c>chat:room-users</c>, to the room.</summary>
    public static async ValueTask UserLeftAsync(IGatewayEmitter chat, IChatPresenceDirectory directory, string roomId, ChatUser user)
    {
        chat.To(roomId).Emit(ChatEvents.UserLeft, new UserLeftEvent(user.UserId, user.UserName, roomId, IsoTime.Now()));
        await RoomUsersAsync(chat.To(roomId), directory, roomId).ConfigureAwait(false);
    }

    private static async ValueTask RoomUsersAsync(GatewayEmission room, IChatPresenceDirectory directory, string roomId)
    {
        var users = await directory.UsersInAsync(roomId).ConfigureAwait(false);
        room.Emit(ChatEvents.RoomUsers, new RoomUsersEvent(roomId, users));
    }
}
