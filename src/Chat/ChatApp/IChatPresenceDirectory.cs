namespace FastRealtime.Chat.ChatApp;

/// <summary>
/// Who is in which chat room, per user, for the whole deployment: <see cref="LocalChatPresenceDirectory"/> on a single
/// node, <see cref="ClusterChatPresenceDirectory"/> when scale-out is on. The chat gateway announces
/// <c>chat:user-joined</c> when <see cref="JoinAsync"/> says "first" and <c>chat:user-left</c> when
/// <see cref="LeaveAsync"/> says "last".
/// </summary>
/// <remarks>Thread-safe. Callers count each socket once per room: one join, then at most one leave.</remarks>
public interface IChatPresenceDirectory
{
    /// <summary>One more socket of <paramref name="user"/> in the room; true when it is the user's first one there.</summary>
    ValueTask<bool> JoinAsync(string roomId, ChatUser user);

    /// <summary>One socket of the user out of the room; true when it was the user's last one there.</summary>
    ValueTask<bool> LeaveAsync(string roomId, ChatUser user);

    /// <summary>The users in the room (each once), ordered by user id.</summary>
    ValueTask<IReadOnlyList<ChatUser>> UsersInAsync(string roomId);
}

/// <summary>The single-node directory: this process's <see cref="RoomPresence"/>, nothing to wait for.</summary>
public sealed class LocalChatPresenceDirectory(RoomPresence presence) : IChatPresenceDirectory
{
    public ValueTask<bool> JoinAsync(string roomId, ChatUser user) => ValueTask.FromResult(presence.Join(roomId, user));

    public ValueTask<bool> LeaveAsync(string roomId, ChatUser user) => ValueTask.FromResult(presence.Leave(roomId, user.UserId));

    public ValueTask<IReadOnlyList<ChatUser>> UsersInAsync(string roomId) => ValueTask.FromResult(presence.UsersIn(roomId));
}
