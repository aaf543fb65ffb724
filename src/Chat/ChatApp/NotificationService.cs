using FastRealtime.Chat.Gateways;

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
public sealed class NotificationService(IGatewayEmitter<NotificationsGateway> notifications, ChatMetrics metrics)
{
    public const string EventName = "notification:new";

    /// <summary>Sends to every socket of <paramref name="userId"/> connected to /notifications; returns the sockets reached.</summary>
    public int SendToUser(string userId, Notification notification)
    {
        ArgumentException.ThrowIfNullOrEmpty(userId);
        return Count(notifications.ToUser(userId).Emit(EventName, notification).Queued);
    }

    /// <summary>Sends to every socket connected to /notifications; returns the sockets reached.</summary>
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
