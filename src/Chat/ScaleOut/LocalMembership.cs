using FastRealtime.Chat.Gateways;

namespace FastRealtime.Chat.ScaleOut;

/// <summary>This node's part of the cluster answers, read from the gateway namespaces' rooms and users (no locks).</summary>
internal static class LocalMembership
{
    public static string[] RoomUsers(GatewayServer gateways, string @namespace, string room)
    {
        if (!gateways.TryGetNamespace(@namespace, out var found)) return [];
        var users = new HashSet<string>(StringComparer.Ordinal);
        foreach (var member in found.Rooms.GetMembers(room))
            if (member is GatewayClient { UserId: { } user }) users.Add(user);
        return [.. users];
    }

    public static string[] UserSockets(GatewayServer gateways, string @namespace, string userId)
    {
        if (!gateways.TryGetNamespace(@namespace, out var found)) return [];
        var sockets = new List<string>();
        foreach (var member in found.Users.SocketsOf(userId))
            if (member is GatewayClient client) sockets.Add(client.Id);
        return [.. sockets];
    }

    /// <summary>Every namespace's users and rooms (O(clients); taken once per heartbeat for the lost-node report).</summary>
    public static Dictionary<string, NamespaceMembership> Snapshot(GatewayServer gateways)
    {
        var snapshot = new Dictionary<string, NamespaceMembership>(StringComparer.Ordinal);
        foreach (var @namespace in gateways.Namespaces)
        {
            var users = new SortedSet<string>(StringComparer.Ordinal);
            var rooms = new SortedDictionary<string, SortedSet<string>>(StringComparer.Ordinal);
            foreach (var member in @namespace.Rooms.Everyone)
            {
                if (member is not GatewayClient { UserId: { } user } client) continue;
                users.Add(user);
                foreach (var room in client.Rooms.GetRoomNames())
                {
                    if (!rooms.TryGetValue(room, out var roomUsers)) rooms[room] = roomUsers = new SortedSet<string>(StringComparer.Ordinal);
                    roomUsers.Add(user);
                }
            }
            if (users.Count == 0) continue;
            snapshot[@namespace.Name] = new NamespaceMembership([.. users],
                rooms.ToDictionary(pair => pair.Key, pair => pair.Value.ToArray(), StringComparer.Ordinal));
        }
        return snapshot;
    }
}
