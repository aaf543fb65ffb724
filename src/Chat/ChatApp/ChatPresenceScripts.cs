namespace FastRealtime.Chat.ChatApp;

/// <summary>
/// The Redis keys of cluster chat presence, from the scale-out prefix. Room ids never contain '|' (see
/// <see cref="RoomRequest"/>), so "room|user" is unambiguous.
/// </summary>
/// <remarks>
/// <c>{prefix}:chatroom:{room}</c> hash user → display name: the room's users on any node.
/// <c>{prefix}:chatroom:{room}|{user}</c> set of node ids with a socket of the user in the room.
/// <c>{prefix}:chatnode:{node}</c> set of "room|user" entries of the node (what to undo when it is lost).
/// <c>{prefix}:chatnodes</c> set of the nodes that have such an index (to find one whose clean-up was interrupted).
/// </remarks>
internal sealed class ChatPresenceKeys(string prefix)
{
    public string Room(string roomId) => $"{prefix}:chatroom:{roomId}";

    public string Node(string nodeId) => $"{prefix}:chatnode:{nodeId}";

    public string IndexedNodes => $"{prefix}:chatnodes";

    /// <summary>KEYS of <see cref="ChatPresenceScripts.Join"/> and <see cref="ChatPresenceScripts.Leave"/>.</summary>
    public string[] For(string roomId, string userId, string nodeId) =>
        [Room(roomId), $"{prefix}:chatroom:{roomId}|{userId}", Node(nodeId), IndexedNodes];

    public static string Entry(string roomId, string userId) => $"{roomId}|{userId}";

    public static bool TryParseEntry(string entry, out string roomId, out string userId)
    {
        int bar = entry.IndexOf('|');
        roomId = bar > 0 ? entry[..bar] : "";
        userId = bar > 0 ? entry[(bar + 1)..] : "";
        return bar > 0 && userId.Length > 0;
    }
}

/// <summary>
/// Lua scripts (atomic in Redis) deciding a user's first and last node in a room. KEYS = room hash, (room, user) node
/// set, node index, indexed nodes. Each answers {"1"|"0", name}: "1" = first node (join) / last node (leave).
/// </summary>
internal static class ChatPresenceScripts
{
    /// <summary>ARGV = node, user, name, entry.</summary>
    public const string Join = """
        redis.call('SADD', KEYS[3], ARGV[4])
        redis.call('SADD', KEYS[4], ARGV[1])
        local added = redis.call('SADD', KEYS[2], ARGV[1])
        redis.call('HSET', KEYS[1], ARGV[2], ARGV[3])
        if added == 1 and redis.call('SCARD', KEYS[2]) == 1 then return {'1', ARGV[3]} end
        return {'0', ARGV[3]}
        """;

    /// <summary>ARGV = node, user, entry. The name is read before a last leave removes it.</summary>
    public const string Leave = """
        redis.call('SREM', KEYS[3], ARGV[3])
        local removed = redis.call('SREM', KEYS[2], ARGV[1])
        local name = redis.call('HGET', KEYS[1], ARGV[2]) or ARGV[2]
        if redis.call('SCARD', KEYS[2]) == 0 then
          redis.call('HDEL', KEYS[1], ARGV[2])
          if removed == 1 then return {'1', name} end
        end
        return {'0', name}
        """;

    /// <summary>The room hash as a flat list user, name, user, name...</summary>
    public const string Users = "return redis.call('HGETALL', KEYS[1])";
}
