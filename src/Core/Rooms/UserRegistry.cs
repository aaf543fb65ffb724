using System.Collections.Concurrent;

namespace FastRealtime.Core.Rooms;

/// <summary>
/// One user, many members (tabs, devices): who is online and which sockets to reach for "send to user".
/// Reports the first-socket and last-socket transitions so presence says "user joined" / "user left" once.
/// </summary>
/// <remarks>
/// <para>Thread safety: every member is safe from any thread. Adds and removes for one user are serialized by that
/// user's set lock; <see cref="SocketsOf"/> and <see cref="IsOnline"/> take no lock. The remove that empties a user
/// retires its entry and drops it from the dictionary under that lock; an add that found the retired entry retries
/// with a fresh one, so exactly one add reports "first" and exactly one remove reports "last" per online period.</para>
/// <para>Send to a user: <c>rooms.Broadcast(BroadcastTarget.ToMembers(users.SocketsOf(id)), encoder)</c>.</para>
/// </remarks>
public sealed class UserRegistry
{
    private static readonly Func<string, UserSockets> s_newUser = static _ => new UserSockets();

    private readonly ConcurrentDictionary<string, UserSockets> _users = new(StringComparer.Ordinal);

    /// <summary>Users with at least one socket (takes the dictionary's locks; not for hot paths).</summary>
    public int UserCount => _users.Count;

    /// <summary>Adds a socket of a user. True when it is the user's first (the user just came online).</summary>
    /// <remarks>Adding a socket already registered for the user changes nothing and returns false.</remarks>
    public bool Add(string userId, IRoomMember member)
    {
        ArgumentNullException.ThrowIfNull(userId);
        ArgumentNullException.ThrowIfNull(member);
        while (true)
        {
            var sockets = _users.GetOrAdd(userId, s_newUser);
            lock (sockets.Sync)
            {
                if (sockets.IsRetired) continue;
                if (sockets.Contains(member)) return false;
                bool first = sockets.Count == 0;
                sockets.Add(member);
                return first;
            }
        }
    }

    /// <summary>Removes a socket of a user. True when it was the user's last (the user just went offline).</summary>
    public bool Remove(string userId, IRoomMember member)
    {
        ArgumentNullException.ThrowIfNull(userId);
        ArgumentNullException.ThrowIfNull(member);
        if (!_users.TryGetValue(userId, out var sockets)) return false;
        lock (sockets.Sync)
        {
            if (sockets.IsRetired || !sockets.Remove(member)) return false;
            if (sockets.Count > 0) return false;
            sockets.IsRetired = true;
            _users.TryRemove(KeyValuePair.Create(userId, sockets));
            return true;
        }
    }

    /// <summary>A lock-free view of the user's sockets (empty when offline).</summary>
    public MemberSnapshot SocketsOf(string userId) =>
        _users.TryGetValue(userId, out var sockets) ? sockets.Snapshot : MemberSnapshot.Empty;

    public bool IsOnline(string userId) => _users.TryGetValue(userId, out var sockets) && sockets.Count > 0;

    public int SocketCount(string userId) => _users.TryGetValue(userId, out var sockets) ? sockets.Count : 0;

    private sealed class UserSockets : MemberSet;
}
