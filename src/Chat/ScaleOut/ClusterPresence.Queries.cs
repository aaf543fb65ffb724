using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace FastRealtime.Chat.ScaleOut;

/// <summary>
/// Cluster queries as request/response over pub/sub: a request (JSON) on <c>{prefix}:query</c>, each other live node
/// answers on <c>{prefix}:reply:{asker}</c> from its own registries; the asker waits for every node it believes live,
/// at most <see cref="ScaleOutSettings.QueryTimeout"/>, and names the ones that did not answer.
/// </summary>
public sealed partial class ClusterPresence
{
    private const string RoomUsersQuery = "room";
    private const string UserSocketsQuery = "user";

    private readonly ConcurrentDictionary<long, PendingQuery> _pending = new();
    private long _nextQueryId;

    public async Task<ClusterAnswer<bool>> IsOnlineAsync(string @namespace, string userId, CancellationToken cancellationToken = default)
    {
        var local = LocalMembership.UserSockets(Gateways, @namespace, userId);
        if (local.Length > 0) return new ClusterAnswer<bool>(true, []);
        var (replies, missing) = await AskAsync(UserSocketsQuery, @namespace, userId, stopOnAnyValue: true, cancellationToken).ConfigureAwait(false);
        bool online = replies.Any(r => r.Values.Length > 0);
        return new ClusterAnswer<bool>(online, online ? [] : missing); // one yes is a complete answer
    }

    public async Task<ClusterAnswer<IReadOnlyList<string>>> GetRoomUsersAsync(string @namespace, string room, CancellationToken cancellationToken = default)
    {
        var users = new SortedSet<string>(LocalMembership.RoomUsers(Gateways, @namespace, room), StringComparer.Ordinal);
        var (replies, missing) = await AskAsync(RoomUsersQuery, @namespace, room, stopOnAnyValue: false, cancellationToken).ConfigureAwait(false);
        foreach (var reply in replies) users.UnionWith(reply.Values);
        return new ClusterAnswer<IReadOnlyList<string>>([.. users], missing);
    }

    public async Task<ClusterAnswer<IReadOnlyList<ClusterSocket>>> GetUserSocketsAsync(string @namespace, string userId,
        CancellationToken cancellationToken = default)
    {
        var sockets = LocalMembership.UserSockets(Gateways, @namespace, userId).Select(id => new ClusterSocket(NodeId, id)).ToList();
        var (replies, missing) = await AskAsync(UserSocketsQuery, @namespace, userId, stopOnAnyValue: false, cancellationToken).ConfigureAwait(false);
        foreach (var reply in replies) sockets.AddRange(reply.Values.Select(id => new ClusterSocket(reply.Node, id)));
        return new ClusterAnswer<IReadOnlyList<ClusterSocket>>(sockets, missing);
    }

    private Gateways.GatewayServer Gateways => _gateways ?? throw new InvalidOperationException("Cluster presence is not started.");

    private async Task<(IReadOnlyList<QueryReply> Replies, IReadOnlyList<string> Missing)> AskAsync(string kind, string @namespace, string name,
        bool stopOnAnyValue, CancellationToken cancellationToken)
    {
        var others = _liveNodes.Where(n => n != NodeId).ToArray();
        if (others.Length == 0) return ([], []);
        if (!_backplane.IsConnected || _pending.Count >= _settings.MaxPendingQueries) return ([], others);
        long id = Interlocked.Increment(ref _nextQueryId);
        var query = new PendingQuery(others, stopOnAnyValue);
        _pending[id] = query;
        try
        {
            var request = JsonSerializer.SerializeToUtf8Bytes(new QueryRequest(id, NodeId, kind, @namespace, name));
            if (_backplane.Publish(_channels.Queries, request) == BackplanePublishResult.Sent)
            {
                try
                {
                    await query.Done.Task.WaitAsync(_settings.QueryTimeout, cancellationToken).ConfigureAwait(false);
                }
                catch (TimeoutException)
                {
                }
            }
            return query.Result();
        }
        finally
        {
            _pending.TryRemove(id, out _);
        }
    }

    private async Task SubscribeQueriesAsync()
    {
        await _backplane.SubscribeAsync(_channels.Queries, OnQuery).ConfigureAwait(false);
        await _backplane.SubscribeAsync(_channels.Replies(NodeId), OnReply).ConfigureAwait(false);
    }

    private void OnQuery(byte[] message)
    {
        var request = TryParse<QueryRequest>(message);
        if (request is null || request.From == NodeId || _gateways is not { } gateways) return;
        string[] values = request.Kind switch
        {
            RoomUsersQuery => LocalMembership.RoomUsers(gateways, request.Namespace, request.Name),
            UserSocketsQuery => LocalMembership.UserSockets(gateways, request.Namespace, request.Name),
            _ => [],
        };
        _backplane.Publish(_channels.Replies(request.From), JsonSerializer.SerializeToUtf8Bytes(new QueryReply(request.Id, NodeId, values)));
    }

    private void OnReply(byte[] message)
    {
        var reply = TryParse<QueryReply>(message);
        if (reply is not null && _pending.TryGetValue(reply.Id, out var query)) query.Add(reply);
    }

    // A malformed query or reply (another version, a stray publisher) is ignored: the asker's timeout covers it.
    private static T? TryParse<T>(byte[] message) where T : class
    {
        try
        {
            return JsonSerializer.Deserialize<T>(message);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private void FailPendingQueries()
    {
        foreach (var query in _pending.Values) query.Done.TrySetResult();
    }

    private sealed record QueryRequest(
        [property: JsonPropertyName("id")] long Id,
        [property: JsonPropertyName("from")] string From,
        [property: JsonPropertyName("kind")] string Kind,
        [property: JsonPropertyName("ns")] string Namespace,
        [property: JsonPropertyName("name")] string Name);

    private sealed record QueryReply(
        [property: JsonPropertyName("id")] long Id,
        [property: JsonPropertyName("node")] string Node,
        [property: JsonPropertyName("values")] string[] Values);

    /// <summary>One outstanding query: the nodes still owed an answer and the answers so far (guarded by its lock).</summary>
    private sealed class PendingQuery(string[] expected, bool stopOnAnyValue)
    {
        private readonly Lock _sync = new();
        private readonly HashSet<string> _waiting = new(expected, StringComparer.Ordinal);
        private readonly List<QueryReply> _replies = [];

        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Add(QueryReply reply)
        {
            lock (_sync)
            {
                if (!_waiting.Remove(reply.Node)) return; // a node not counted as live, or a duplicate
                _replies.Add(reply);
                if (_waiting.Count == 0 || (stopOnAnyValue && reply.Values.Length > 0)) Done.TrySetResult();
            }
        }

        public (IReadOnlyList<QueryReply>, IReadOnlyList<string>) Result()
        {
            lock (_sync)
            {
                return (_replies.ToArray(), _waiting.ToArray());
            }
        }
    }
}
