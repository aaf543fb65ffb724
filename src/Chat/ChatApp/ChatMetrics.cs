using System.Diagnostics.Metrics;

namespace FastRealtime.Chat.ChatApp;

/// <summary>
/// The chat's instruments, on a meter of their own per host (several servers may run in one test process). The
/// history store records its latency on the same <see cref="Meter"/>, so /metrics exports both.
/// </summary>
public sealed class ChatMetrics : IDisposable
{
    public const string MeterName = "FastRealtime.Chat";

    private readonly Counter<long> _received;
    private readonly Counter<long> _stored;
    private readonly Counter<long> _storeFailures;
    private readonly Counter<long> _delivered;
    private readonly Counter<long> _acks;
    private readonly Counter<long> _rejected;
    private readonly Counter<long> _notifications;

    public ChatMetrics(RoomPresence presence)
    {
        Meter = new Meter(MeterName);
        _received = Meter.CreateCounter<long>("chat.messages.received", description: "chat:send-message requests that passed validation, membership and rate limit");
        _stored = Meter.CreateCounter<long>("chat.messages.stored", description: "Chat messages durably stored");
        _storeFailures = Meter.CreateCounter<long>("chat.store.failures", description: "Chat messages the history store refused (answered with exception)");
        _delivered = Meter.CreateCounter<long>("chat.messages.delivered", description: "chat:message copies queued to recipients");
        _acks = Meter.CreateCounter<long>("chat.acks", description: "chat:send-message acks sent");
        _rejected = Meter.CreateCounter<long>("chat.messages.rate.limited", description: "chat:send-message requests refused by the per-socket rate limit");
        _notifications = Meter.CreateCounter<long>("chat.notifications.delivered", description: "notification:new copies queued to sockets");
        Meter.CreateObservableGauge("chat.rooms", () => presence.RoomCount, description: "Chat rooms with at least one member");
    }

    public Meter Meter { get; }

    internal void Received() => _received.Add(1);
    internal void Stored() => _stored.Add(1);
    internal void StoreFailed() => _storeFailures.Add(1);
    internal void Delivered(int recipients) => _delivered.Add(recipients);
    internal void Acked() => _acks.Add(1);
    internal void RateLimited() => _rejected.Add(1);
    internal void NotificationsDelivered(int sockets) => _notifications.Add(sockets);

    public void Dispose() => Meter.Dispose();
}
