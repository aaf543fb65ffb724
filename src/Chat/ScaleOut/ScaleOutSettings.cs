namespace FastRealtime.Chat.ScaleOut;

/// <summary>
/// Scale-out across nodes (configuration section "ScaleOut"; <c>serve --redis HOST:PORT</c> sets <see cref="Redis"/>).
/// Without <see cref="Redis"/> nothing is registered and nothing needs Redis. Every limit has a safe default.
/// </summary>
public sealed class ScaleOutSettings
{
    public const string SectionName = "ScaleOut";

    /// <summary>HOST:PORT of Redis (any StackExchange.Redis configuration string); null or empty: scale-out off.</summary>
    public string? Redis { get; set; }

    /// <summary>First part of every channel and key, so several clusters can share one Redis.</summary>
    public string ChannelPrefix { get; set; } = "fastrealtime";

    /// <summary>This node's id in the cluster (unique; default: random, new on each start).</summary>
    public string? NodeId { get; set; }

    /// <summary>How often a node refreshes its heartbeat and looks for nodes whose heartbeat expired.</summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Heartbeat expiry: a node silent this long is dead. Its users are reported gone (NodeLost) within
    /// <see cref="NodeTimeout"/> + <see cref="HeartbeatInterval"/> of its last heartbeat.
    /// </summary>
    public TimeSpan NodeTimeout { get; set; } = TimeSpan.FromSeconds(6);

    /// <summary>How long a cluster query waits for the other nodes; then it answers with what it has (partial).</summary>
    public TimeSpan QueryTimeout { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Publishes handed to Redis and not yet acknowledged; past it further publishes are dropped (counted).</summary>
    public int MaxPendingPublishes { get; set; } = 10_000;

    /// <summary>Bytes of the pending publishes; past it further publishes are dropped (counted).</summary>
    public long MaxPendingPublishBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>Pending publishes past which volatile emissions (typing and the like) are dropped first.</summary>
    public int MaxPendingVolatilePublishes { get; set; } = 1_000;

    /// <summary>Longest wait between reconnect attempts while Redis is down (the backoff grows up to it).</summary>
    public TimeSpan MaxReconnectBackoff { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long a backplane command (a subscription, a key, a script) may go unanswered before it fails with a
    /// <see cref="TimeoutException"/>. StackExchange.Redis 1.2.6 puts no limit on asynchronous commands, so without it a
    /// reply lost with a connection would stall its caller for good: a heartbeat loop, a start-up that never listens.
    /// </summary>
    public TimeSpan OperationTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Concurrent cluster queries a node may have outstanding (each holds a waiter until its timeout).</summary>
    public int MaxPendingQueries { get; set; } = 1_000;

    public bool Enabled => !string.IsNullOrWhiteSpace(Redis);

    /// <summary>Throws <see cref="ArgumentException"/> naming the first setting that cannot work (checked at start-up).</summary>
    public void Validate()
    {
        Positive(HeartbeatInterval, nameof(HeartbeatInterval));
        Positive(QueryTimeout, nameof(QueryTimeout));
        Positive(OperationTimeout, nameof(OperationTimeout));
        Positive(MaxReconnectBackoff, nameof(MaxReconnectBackoff));
        if (NodeTimeout <= HeartbeatInterval)
            throw new ArgumentException($"{SectionName}:{nameof(NodeTimeout)} ({NodeTimeout}) must be longer than {nameof(HeartbeatInterval)} ({HeartbeatInterval}): a live node would be declared lost between two heartbeats.");
        if (MaxPendingPublishes < 1 || MaxPendingVolatilePublishes < 1 || MaxPendingPublishBytes < 1 || MaxPendingQueries < 1)
            throw new ArgumentException($"{SectionName}: MaxPendingPublishes, MaxPendingVolatilePublishes, MaxPendingPublishBytes and MaxPendingQueries must be at least 1.");
    }

    private static void Positive(TimeSpan value, string name)
    {
        if (value <= TimeSpan.Zero) throw new ArgumentException($"{SectionName}:{name} must be positive (got {value}).");
    }
}
