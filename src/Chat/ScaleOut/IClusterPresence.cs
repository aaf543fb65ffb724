namespace FastRealtime.Chat.ScaleOut;

/// <summary>
/// Cluster-wide presence for the chat gateway: who is online, who is in a room, a user's sockets on every node, and
/// <see cref="NodeLost"/> when a node stops heart-beating. Registered by <c>AddScaleOut</c>.
/// </summary>
/// <remarks>
/// Queries ask every live node over pub/sub and wait at most <see cref="ScaleOutSettings.QueryTimeout"/>: an answer
/// lists the nodes that did not answer in time (<see cref="ClusterAnswer{T}.MissingNodes"/>) instead of failing.
/// Users are the ids clients were authenticated under (<c>GatewayClient.Authenticate</c>); anonymous clients are not
/// counted. This node answers for itself without a round trip.
/// </remarks>
public interface IClusterPresence
{
    string NodeId { get; }

    /// <summary>Nodes whose heartbeat was alive at the last check (this one included).</summary>
    IReadOnlyCollection<string> LiveNodes { get; }

    /// <summary>Whether the user has a socket in <paramref name="namespace"/> on any node (answers as soon as one says yes).</summary>
    Task<ClusterAnswer<bool>> IsOnlineAsync(string @namespace, string userId, CancellationToken cancellationToken = default);

    /// <summary>The distinct users with a socket in <paramref name="room"/> of <paramref name="namespace"/>, on every node.</summary>
    Task<ClusterAnswer<IReadOnlyList<string>>> GetRoomUsersAsync(string @namespace, string room, CancellationToken cancellationToken = default);

    /// <summary>The user's sockets on every node (node id, client id).</summary>
    Task<ClusterAnswer<IReadOnlyList<ClusterSocket>>> GetUserSocketsAsync(string @namespace, string userId, CancellationToken cancellationToken = default);

    /// <summary>
    /// A node's heartbeat expired: exactly one surviving node (the one that removes it from the node set) raises this,
    /// with the membership the lost node last published, so the chat gateway can emit <c>chat:user-left</c> once for the
    /// cluster. A user may also be connected to another node: check <see cref="IsOnlineAsync"/> before saying "left".
    /// </summary>
    event Action<NodeLostEvent>? NodeLost;
}

/// <summary>An answer from the nodes that replied in time; <see cref="IsComplete"/> when every live node did.</summary>
public sealed record ClusterAnswer<T>(T Value, IReadOnlyList<string> MissingNodes)
{
    public bool IsComplete => MissingNodes.Count == 0;
}

public readonly record struct ClusterSocket(string NodeId, string ClientId);

/// <summary>A lost node and the membership it last published, per namespace.</summary>
public sealed record NodeLostEvent(string NodeId, IReadOnlyDictionary<string, NamespaceMembership> Namespaces);

/// <summary>The authenticated users of one namespace on one node, and each room's users.</summary>
public sealed record NamespaceMembership(string[] Users, Dictionary<string, string[]> Rooms);
