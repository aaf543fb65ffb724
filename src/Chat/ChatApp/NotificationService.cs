using FastRealtime.Chat.Gateways;
using FastRealtime.Chat.ScaleOut;

namespace FastRealtime.Chat.ChatApp;

/// <summary>The kinds of <c>notification:new</c> (wire names "info", "warning", "error").</summary>
public static class NotificationTypes
{
    public const string Info = "info";
    public const string Warning = "warning";
    public const string Error = "error";

    public static bool IsKnown(string? type) => type is Info or Warning or Error;
}

/// <summary><c>notification:new</c> <c>{id, type, title, message, createdAt}</c>.</summary>
public sealed record Notification(string Id, string Type, string Title, string Message, string CreatedAt);

/// <summary>
/// Pushes notifications to users from anywhere (a service, a job, the HTTP API): inject it (the seed's
/// <c>notificationsGateway.sendToUser</c> / <c>broadcast</c>). Thread-safe.
/// </summary>
/// <remarks>
/// With scale-out the emissions reach every node through the relay (a user's sockets on any node); the counts returned
/// by <see cref="SendToUser"/> and <see cref="Broadcast"/> are this node's, <see cref="SendToUserInClusterAsync"/>
/// counts the other nodes' too.
/// </remarks>
public sealed class NotificationService(IGatewayEmitter<NotificationsGateway> notifications, ChatMetrics metrics, IClusterPresence? cluster = null)
{
    public const string EventName = "notification:new";

    /// <summary>Sends to every socket of <paramref name="userId"/> connected to /notifications; returns the sockets reached.</summary>
    public int SendToUser(string userId, Notification notification)
    {
        ArgumentException.ThrowIfNullOrEmpty(userId);
        return Count(notifications.ToUser(userId).Emit(EventName, notification).Queued);
    }

    /// <summary>
    /// Sends to every socket of the user on every node; the reach counts this node's sockets queued to, plus the user's
    /// sockets the other nodes reported just after (they got the emission through the relay). Without scale-out it is
    /// <see cref="SendToUser"/>'s count, complete.
    /// </summary>
    public async Task<NotificationReach> SendToUserInClusterAsync(string userId, Notification notification, CancellationToken cancellationToken = default)
    {
        int local = SendToUser(userId, notification);
        if (cluster is null) return new NotificationReach(local, NotificationReach.NodeScope);
        var sockets = await cluster.GetUserSocketsAsync(notifications.Name, userId, cancellationToken).ConfigureAwait(false);
        int remote = sockets.Value.Count(s => s.NodeId != cluster.NodeId);
        return new NotificationReach(local + remote, sockets.IsComplete ? NotificationReach.ClusterScope : NotificationReach.PartialScope);
    }

    /// <summary>Sends to every socket connected to /notifications (every node with scale-out); returns this node's sockets reached.</summary>
    public int Broadcast(Notification notification) => Count(notifications.Emit(EventName, notification).Queued);

    /// <summary>A notification with a fresh id and the current time.</summary>
    public static Notification Create(string type, string title, string message)
    {
        if (!NotificationTypes.IsKnown(type)) throw new ArgumentException($"Unknown notification type '{type}'.", nameof(type));
        return new Notification(Guid.NewGuid().ToString(), type, title, message, IsoTime.Now());
    }

    private int Count(int sockets)
    {
        metrics.NotificationsDelivered(sockets);
        return sockets;
    }
}

/// <summary>
/// How many sockets a notification reached, and over what: "node" (this node only: a single node, or a broadcast whose
/// other nodes are not counted), "cluster" (every live node answered), "partial" (some node did not answer in time).
/// </summary>
public readonly record struct NotificationReach(int Delivered, string Scope)
{
    public const string NodeScope = "node";
    public const string ClusterScope = "cluster";
    public const string PartialScope = "partial";
}
