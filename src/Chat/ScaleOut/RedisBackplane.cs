using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace FastRealtime.Chat.ScaleOut;

/// <summary>
/// <see cref="IBackplane"/> over StackExchange.Redis 1.2.6 (one multiplexer: one interactive and one subscription
/// connection). The only type here that knows Redis.
/// </summary>
/// <remarks>
/// <para>Reconnects: the multiplexer retries with exponential backoff (capped by
/// <see cref="ScaleOutSettings.MaxReconnectBackoff"/>) and resubscribes its channels itself when the subscription
/// connection is restored. State changes are logged once each.</para>
/// <para>Every awaited command fails with a <see cref="TimeoutException"/> after
/// <see cref="ScaleOutSettings.OperationTimeout"/> instead of waiting for a reply that may never come.</para>
/// <para>Bounded: publishes while down are dropped; publishes beyond <see cref="ScaleOutSettings.MaxPendingPublishes"/>
/// / <see cref="ScaleOutSettings.MaxPendingPublishBytes"/> unacknowledged ones are dropped (volatile ones earlier), so a
/// slow Redis never grows a queue in this process. Every drop is counted on <see cref="Metrics"/>.</para>
/// </remarks>
public sealed class RedisBackplane : IBackplane, IDisposable
{
    /// <summary>Confirmations a subscription waits for before it gives up (each <see cref="ScaleOutSettings.OperationTimeout"/>).</summary>
    public const int SubscribeAttempts = 3;

    /// <summary>Connections a start tries when a fresh one says it is connected but leaves its first command unanswered.</summary>
    public const int StartAttempts = 3;

    /// <summary>The key the start-up probe asks about (under the channel prefix); it is never written.</summary>
    public const string StartProbeKey = "start-probe";

    private readonly ScaleOutSettings _settings;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, RedisChannel> _channels = new(StringComparer.Ordinal);
    private readonly Action<Task<long>, object?> _onPublishCompleted;
    private ConnectionMultiplexer? _redis;
    private int _connected;
    private long _pendingPublishes;
    private long _pendingBytes;

    public RedisBackplane(ScaleOutSettings settings, ScaleOutMetrics metrics, ILogger<RedisBackplane> logger)
    {
        _settings = settings;
        _logger = logger;
        Metrics = metrics;
        _onPublishCompleted = OnPublishCompleted;
    }

    public ScaleOutMetrics Metrics { get; }

    public bool IsConnected => Volatile.Read(ref _connected) == 1;

    public event Action<bool>? ConnectionChanged;

    /// <remarks>
    /// A fresh connection that says it is connected must answer one command within
    /// <see cref="ScaleOutSettings.OperationTimeout"/>, or it is dropped and connected again (<see cref="StartAttempts"/>
    /// in all). In test runs under load a node's interactive connection sometimes answered nothing from its first command
    /// on, while StackExchange.Redis 1.2.6 kept calling it connected (on .NET Core it has no stale-connection check): the
    /// node never wrote a heartbeat and the others never saw it.
    /// </remarks>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        if (_redis is not null) return;
        var redis = await ConnectMultiplexerAsync().ConfigureAwait(false);
        for (int attempt = 1; attempt < StartAttempts && redis.IsConnected && !await AnswersAsync(redis).ConfigureAwait(false); attempt++)
        {
            _logger.LogWarning("Redis {Endpoint} says connected but did not answer within {Timeout}; connecting again",
                _settings.Redis, _settings.OperationTimeout);
            redis.Close(allowCommandsToComplete: false);
            redis.Dispose();
            redis = await ConnectMultiplexerAsync().ConfigureAwait(false);
        }
        _redis = redis;
        UpdateState();
        if (!IsConnected) _logger.LogWarning("Redis {Endpoint} is not reachable; serving local members only until it is", _settings.Redis);
    }

    private async Task<ConnectionMultiplexer> ConnectMultiplexerAsync()
    {
        var options = ConfigurationOptions.Parse(_settings.Redis ?? throw new InvalidOperationException("ScaleOut:Redis is not set."));
        options.AbortOnConnectFail = false; // Redis down at start: serve locally, connect when it comes
        options.ConnectRetry = 1;
        options.ConnectTimeout = 2000;
        options.ReconnectRetryPolicy = new ExponentialRetry(100, Math.Max(100, (int)_settings.MaxReconnectBackoff.TotalMilliseconds));
        options.ClientName ??= "fastrealtime";
        var redis = await ConnectionMultiplexer.ConnectAsync(options).ConfigureAwait(ConfigureAwaitOptions.ForceYielding);
        // A multiplexer dropped by the start-up probe says nothing about this backplane any more.
        redis.ConnectionFailed += (_, e) =>
        {
            if (ReferenceEquals(_redis, redis)) OnConnectionFailed(e);
        };
        redis.ConnectionRestored += (_, _) =>
        {
            if (ReferenceEquals(_redis, redis)) UpdateState();
        };
        return redis;
    }

    private async Task<bool> AnswersAsync(ConnectionMultiplexer redis)
    {
        try
        {
            await Bounded(redis.GetDatabase().KeyExistsAsync($"{_settings.ChannelPrefix}:{StartProbeKey}")).ConfigureAwait(false);
            return true;
        }
        catch (Exception e) when (e is TimeoutException or RedisException)
        {
            return false;
        }
    }

    private ConnectionMultiplexer Redis => _redis ?? throw new InvalidOperationException("The backplane is not started.");

    private void OnConnectionFailed(ConnectionFailedEventArgs e)
    {
        if (Interlocked.Exchange(ref _connected, 0) == 1)
        {
            _logger.LogWarning("Lost Redis {Endpoint} ({Failure}); serving local members only, reconnecting", _settings.Redis, e.FailureType);
            ConnectionChanged?.Invoke(false);
        }
    }

    // Restored fires once per connection (interactive, subscription): connected when the multiplexer says so.
    private void UpdateState()
    {
        if (_redis is not { IsConnected: true }) return;
        if (Interlocked.Exchange(ref _connected, 1) == 0)
        {
            _logger.LogInformation("Connected to Redis {Endpoint}; cross-node delivery on", _settings.Redis);
            ConnectionChanged?.Invoke(true);
        }
    }

    public BackplanePublishResult Publish(string channel, byte[] message, bool isVolatile = false)
    {
        var result = TryReserve(message.Length, isVolatile);
        if (result != BackplanePublishResult.Sent)
        {
            Metrics.OnDropped(result);
            return result;
        }
        Task<long> sent;
        try
        {
            sent = Redis.GetSubscriber().PublishAsync(ChannelOf(channel), message);
        }
        catch (Exception e) when (e is RedisException or ObjectDisposedException or InvalidOperationException)
        {
            Release(message.Length);
            Metrics.OnPublishFailed();
            return BackplanePublishResult.DroppedDisconnected;
        }
        Metrics.OnPublished();
        sent.ContinueWith(_onPublishCompleted, message.Length, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        return BackplanePublishResult.Sent;
    }

    private BackplanePublishResult TryReserve(int bytes, bool isVolatile)
    {
        if (!IsConnected || _redis is null) return BackplanePublishResult.DroppedDisconnected;
        long limit = isVolatile ? Math.Min(_settings.MaxPendingVolatilePublishes, _settings.MaxPendingPublishes) : _settings.MaxPendingPublishes;
        if (Interlocked.Increment(ref _pendingPublishes) > limit
            | Interlocked.Add(ref _pendingBytes, bytes) > _settings.MaxPendingPublishBytes)
        {
            Release(bytes);
            return BackplanePublishResult.DroppedBacklog;
        }
        return BackplanePublishResult.Sent;
    }

    private void Release(int bytes)
    {
        Interlocked.Decrement(ref _pendingPublishes);
        Interlocked.Add(ref _pendingBytes, -bytes);
    }

    private void OnPublishCompleted(Task<long> sent, object? bytes)
    {
        Release((int)bytes!);
        if (!sent.IsCompletedSuccessfully) Metrics.OnPublishFailed(); // lost with the connection: never retried
    }

    private RedisChannel ChannelOf(string channel) => _channels.GetOrAdd(channel, static name => new RedisChannel(name, RedisChannel.PatternMode.Literal));

    /// <summary>
    /// Subscribes and waits for Redis to confirm, each attempt at most <see cref="ScaleOutSettings.OperationTimeout"/>. An
    /// unconfirmed attempt is withdrawn before the next one, so the handler is never registered twice (the multiplexer
    /// would call it twice per message). Redis down: completes at once, and the multiplexer subscribes when it connects.
    /// </summary>
    /// <exception cref="TimeoutException">No attempt of <see cref="SubscribeAttempts"/> was confirmed.</exception>
    public async Task SubscribeAsync(string channel, Action<byte[]> handler)
    {
        var subscriber = Redis.GetSubscriber();
        var redisChannel = ChannelOf(channel);
        Action<RedisChannel, RedisValue> onMessage = (_, value) => handler((byte[])value!);
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                await Bounded(subscriber.SubscribeAsync(redisChannel, onMessage)).ConfigureAwait(false);
                return;
            }
            catch (TimeoutException e)
            {
                subscriber.Unsubscribe(redisChannel, onMessage, CommandFlags.FireAndForget);
                if (attempt == SubscribeAttempts)
                    throw new TimeoutException(
                        $"Redis did not confirm the subscription to {channel} in {SubscribeAttempts} attempts of {_settings.OperationTimeout}", e);
                _logger.LogWarning("Redis did not confirm the subscription to {Channel} within {Timeout}; subscribing again",
                    channel, _settings.OperationTimeout);
            }
        }
    }

    public Task SetAsync(string key, byte[] value, TimeSpan expiry) => Bounded(Redis.GetDatabase().StringSetAsync(key, value, expiry));

    public async Task<byte[]?> GetAsync(string key) => (byte[]?)await Bounded(Redis.GetDatabase().StringGetAsync(key)).ConfigureAwait(false);

    public Task<bool> ExistsAsync(string key) => Bounded(Redis.GetDatabase().KeyExistsAsync(key));

    public Task DeleteAsync(string key) => Bounded(Redis.GetDatabase().KeyDeleteAsync(key));

    public Task SetAddAsync(string set, string member) => Bounded(Redis.GetDatabase().SetAddAsync(set, member));

    public Task<bool> SetRemoveAsync(string set, string member) => Bounded(Redis.GetDatabase().SetRemoveAsync(set, member));

    public async Task<string[]> SetMembersAsync(string set) =>
        Array.ConvertAll(await Bounded(Redis.GetDatabase().SetMembersAsync(set)).ConfigureAwait(false), static v => (string)v!);

    /// <summary>The script must return a list (or nil): 1.2.6 exposes no result type to tell a scalar apart.</summary>
    public async Task<string[]> EvaluateAsync(string script, string[] keys, string[] args)
    {
        var result = await Bounded(Redis.GetDatabase().ScriptEvaluateAsync(script, Array.ConvertAll(keys, static k => (RedisKey)k),
            Array.ConvertAll(args, static a => (RedisValue)a))).ConfigureAwait(false);
        return result.IsNull ? [] : (string[])result! ?? [];
    }

    // 1.2.6 has no timeout for asynchronous commands (2.0 added one): a reply lost with a connection never completes.
    // A command that times out may still run on Redis later; every caller here treats the failure as "no answer".
    // 1.2.6 also completes a command's task on the connection's reader thread with synchronous continuations, so the
    // caller's code after the await would run on it (a start-up, a presence rewrite) and hold up every later reply on
    // that connection: the caller always continues on the thread pool instead (ForceYielding).
    private async Task<T> Bounded<T>(Task<T> command) =>
        await command.WaitAsync(_settings.OperationTimeout).ConfigureAwait(ConfigureAwaitOptions.ForceYielding);

    private async Task Bounded(Task command) =>
        await command.WaitAsync(_settings.OperationTimeout).ConfigureAwait(ConfigureAwaitOptions.ForceYielding);

    /// <summary>For containers disposed synchronously (IHost.Dispose): closes at once, without waiting for pending commands.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _redis, null) is { } redis)
        {
            Interlocked.Exchange(ref _connected, 0);
            redis.Close(allowCommandsToComplete: false);
            redis.Dispose();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _redis, null) is { } redis)
        {
            Interlocked.Exchange(ref _connected, 0);
            await redis.CloseAsync(allowCommandsToComplete: false).ConfigureAwait(false);
            redis.Dispose();
        }
    }
}
