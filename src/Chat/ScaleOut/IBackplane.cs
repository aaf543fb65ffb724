namespace FastRealtime.Chat.ScaleOut;

/// <summary>How <see cref="IBackplane.Publish"/> took a message.</summary>
public enum BackplanePublishResult : byte
{
    /// <summary>Handed to the backplane's connection.</summary>
    Sent,

    /// <summary>Dropped: the backplane is down (counted; never queued for later).</summary>
    DroppedDisconnected,

    /// <summary>Dropped: too many publishes already wait for the backplane (counted).</summary>
    DroppedBacklog,
}

/// <summary>
/// The project's own small view of a message backplane (pub/sub plus a few expiring keys and sets), so the engine
/// (Redis through StackExchange.Redis today) can be swapped without touching the scale-out logic.
/// </summary>
/// <remarks>
/// Thread-safe. <see cref="Publish"/> never blocks and never queues without bound. Subscriptions survive reconnects
/// (the implementation resubscribes). Key operations throw when the backplane is down or does not answer in time;
/// callers treat that as "no answer this time".
/// </remarks>
public interface IBackplane : IAsyncDisposable
{
    /// <summary>True while messages can be published and received.</summary>
    bool IsConnected { get; }

    /// <summary>Raised once per change of <see cref="IsConnected"/> (true: connected again).</summary>
    event Action<bool>? ConnectionChanged;

    /// <summary>Connects (or starts trying in the background when the engine is down: never fails for that).</summary>
    Task StartAsync(CancellationToken cancellationToken = default);

    /// <summary>Publishes <paramref name="message"/> (kept by the backplane: do not reuse it).</summary>
    /// <param name="isVolatile">May be dropped earlier when the backplane is slow.</param>
    BackplanePublishResult Publish(string channel, byte[] message, bool isVolatile = false);

    /// <summary>
    /// Calls <paramref name="handler"/> for each message on <paramref name="channel"/>, in order, one at a time. Completes
    /// when the backplane confirmed the subscription (or at once while it is down); throws when it never does.
    /// </summary>
    Task SubscribeAsync(string channel, Action<byte[]> handler);

    /// <summary>Sets <paramref name="key"/> to <paramref name="value"/>, expiring after <paramref name="expiry"/>.</summary>
    Task SetAsync(string key, byte[] value, TimeSpan expiry);

    Task<byte[]?> GetAsync(string key);

    Task<bool> ExistsAsync(string key);

    Task DeleteAsync(string key);

    Task SetAddAsync(string set, string member);

    /// <summary>True when <paramref name="member"/> was in the set (exactly one of several concurrent removers gets true).</summary>
    Task<bool> SetRemoveAsync(string set, string member);

    Task<string[]> SetMembersAsync(string set);

    /// <summary>
    /// Runs <paramref name="script"/> (Lua) atomically on the backplane; its result, a list, is returned as strings (nil as
    /// none). Commands are sent in call order, so two scripts issued one after the other by one
    /// thread (or under one lock) run in that order.
    /// </summary>
    Task<string[]> EvaluateAsync(string script, string[] keys, string[] args);
}
