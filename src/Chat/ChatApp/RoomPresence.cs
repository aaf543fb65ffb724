using System.Collections.Concurrent;

namespace FastRealtime.Chat.ChatApp;

/// <summary>
/// Who is in which chat room, per user: a user with several sockets (tabs, devices) in a room counts once, so
/// <c>chat:user-joined</c> goes out for the first socket and <c>chat:user-left</c> for the last.
/// </summary>
/// <remarks>
/// Thread-safe: joins, leaves and disconnects of different sockets race freely. Each room has its own lock (rooms do
/// not contend with each other). An emptied room is removed from the map under its lock and marked dead; a join that
/// finds a dead room retries on a fresh one, so no socket is ever counted in a room that is no longer in the map.
/// </remarks>
public sealed class RoomPresence
{
    private readonly ConcurrentDictionary<string, Room> _rooms = new(StringComparer.Ordinal);

    /// <summary>Rooms with at least one socket.</summary>
    public int RoomCount => _rooms.Count;

    /// <summary>Counts one more socket of <paramref name="user"/> in the room; true when it is the user's first there.</summary>
    public bool Join(string roomId, ChatUser user)
    {
        while (true)
        {
            var room = _rooms.GetOrAdd(roomId, static _ => new Room());
            lock (room)
            {
                if (room.IsDead) continue;
                if (room.Users.TryGetValue(user.UserId, out var entry))
                {
                    room.Users[user.UserId] = entry with { Sockets = entry.Sockets + 1 };
                    return false;
                }
                room.Users[user.UserId] = new Entry(user, 1);
                return true;
            }
        }
    }

    /// <summary>Counts one socket of the user out of the room; true when it was the user's last there.</summary>
    public bool Leave(string roomId, string userId)
    {
        if (!_rooms.TryGetValue(roomId, out var room)) return false;
        lock (room)
        {
            if (room.IsDead || !room.Users.TryGetValue(userId, out var entry)) return false;
            if (entry.Sockets > 1)
            {
                room.Users[userId] = entry with { Sockets = entry.Sockets - 1 };
                return false;
            }
            room.Users.Remove(userId);
            if (room.Users.Count == 0)
            {
                room.IsDead = true;
                _rooms.TryRemove(new KeyValuePair<string, Room>(roomId, room));
            }
            return true;
        }
    }

    /// <summary>The users in the room now (each once), ordered by user id.</summary>
    public IReadOnlyList<ChatUser> UsersIn(string roomId)
    {
        if (!_rooms.TryGetValue(roomId, out var room)) return [];
        ChatUser[] users;
        lock (room)
        {
            users = new ChatUser[room.Users.Count];
            int i = 0;
            foreach (var entry in room.Users.Values) users[i++] = entry.User;
        }
        Array.Sort(users, static (a, b) => string.CompareOrdinal(a.UserId, b.UserId));
        return users;
    }

    /// <summary>Sockets of the user in the room (0 when absent).</summary>
    public int SocketsOf(string roomId, string userId)
    {
        if (!_rooms.TryGetValue(roomId, out var room)) return 0;
        lock (room) return room.Users.TryGetValue(userId, out var entry) ? entry.Sockets : 0;
    }

    /// <summary>Every (room, user) with at least one socket now (a moment's view; O(entries)).</summary>
    public List<(string RoomId, ChatUser User)> Entries()
    {
        var entries = new List<(string, ChatUser)>();
        foreach (var (roomId, room) in _rooms)
            lock (room)
                foreach (var entry in room.Users.Values) entries.Add((roomId, entry.User));
        return entries;
    }

    private readonly record struct Entry(ChatUser User, int Sockets);

    private sealed class Room
    {
        public readonly Dictionary<string, Entry> Users = new(StringComparer.Ordinal);
        public bool IsDead;
    }
}
