using FastRealtime.Chat.Gateways;
using FastRealtime.Chat.ScaleOut;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FastRealtime.Chat.ChatApp;

/// <summary>
/// Chat presence for a cluster of nodes: this node's socket counts (<see cref="RoomPresence"/>) decide "first/last
/// socket here"; the cluster-wide "first/last socket anywhere" is decided atomically in Redis by one Lua script per
/// change (<see cref="ChatPresenceScripts"/>), so two nodes whose first sockets of one user join at the same moment
/// never both announce, nor neither.
/// </summary>
/// <remarks>
/// <para>Redis holds, per room, a hash user → name (the cluster's user list) and per (room, user) the set of nodes that
/// have a socket of the user there; per node, the index of its (room, user) entries. A node's changes for one
/// (room, user) are issued to Redis under one lock stripe in the order they happen locally, and Redis runs commands in
/// the order they were sent, so a leave and a re-join racing on one node are never reordered.</para>
/// <para>A lost node (<see cref="IClusterPresence.NodeLost"/>, raised on one survivor) is removed from every entry of
/// its index; users left with no node get <c>chat:user-left</c> from the survivor. On a clean stop the node does the
/// same for itself before saying goodbye.</para>
/// <para>While Redis is unreachable every decision falls back to this node's own counts (as on a single node) and the
/// user lists are this node's; when Redis is back the node rewrites its entries and removes the ones that left meanwhile
/// (announcing those that were the last), so the lists converge without waiting for users to come and go.</para>
/// </remarks>
public sealed class ClusterChatPresenceDirectory : IChatPresenceDirectory, IAsyncDisposable, IDisposable
{
    private const int StripeCount = 64;
    private const int ResyncAttempts = 20;
    private static readonly TimeSpan ResyncRetryDelay = TimeSpan.FromMilliseconds(500);

    private readonly RoomPresence _local;
    private readonly IBackplane _backplane;
    private readonly IClusterPresence _cluster;
    private readonly IServiceProvider _services;
    private readonly ILogger _logger;
    private readonly ChatPresenceKeys _keys;
    private readonly ScaleOutChannels _channels;
    private readonly TimeSpan _timeout;
    private readonly object[] _stripes = new object[StripeCount];
    private volatile bool _stopped;

    public ClusterChatPresenceDirectory(RoomPresence local, IBackplane backplane, IClusterPresence cluster, ScaleOutChannels channels,
        ScaleOutSettings settings, IServiceProvider services, ILogger<ClusterChatPresenceDirectory> logger)
    {
        _local = local;
        _backplane = backplane;
        _cluster = cluster;
        _services = services;
        _logger = logger;
        _keys = new ChatPresenceKeys(channels.Prefix);
        _timeout = settings.QueryTimeout;
        for (int i = 0; i < _stripes.Length; i++) _stripes[i] = new object();
        _channels = channels;
        cluster.NodeLost += lost => _ = OnNodeLostAsync(lost.NodeId);
        backplane.ConnectionChanged += connected =>
        {
            if (connected) _ = ResyncWithRetriesAsync();
        };
    }

    public async ValueTask<bool> JoinAsync(string roomId, ChatUser user)
    {
        Task<string[]> pending;
        lock (Stripe(roomId, user.UserId))
        {
            if (!_local.Join(roomId, user)) return false;
            pending = Run(ChatPresenceScripts.Join, _keys.For(roomId, user.UserId, _cluster.NodeId), _cluster.NodeId, user.UserId, user.UserName,
                ChatPresenceKeys.Entry(roomId, user.UserId));
        }
        var answer = await AwaitAsync(pending, "join", roomId).ConfigureAwait(false);
        return answer is null || answer is ["1", ..];
    }

    public async ValueTask<bool> LeaveAsync(string roomId, ChatUser user)
    {
        Task<string[]> pending;
        lock (Stripe(roomId, user.UserId))
        {
            if (!_local.Leave(roomId, user.UserId)) return false;
            pending = Leave(roomId, user.UserId, _cluster.NodeId);
        }
        var answer = await AwaitAsync(pending, "leave", roomId).ConfigureAwait(false);
        return answer is null || answer is ["1", ..];
    }

    /// <summary>The cluster's users of the room; this node's own when Redis does not answer in time (logged).</summary>
    public async ValueTask<IReadOnlyList<ChatUser>> UsersInAsync(string roomId)
    {
        var answer = await AwaitAsync(Run(ChatPresenceScripts.Users, [_keys.Room(roomId)]), "user list", roomId).ConfigureAwait(false);
        if (answer is null) return _local.UsersIn(roomId);
        var users = new ChatUser[answer.Length / 2];
        for (int i = 0; i < users.Length; i++) users[i] = new ChatUser(answer[2 * i], answer[2 * i + 1]);
        Array.Sort(users, static (a, b) => string.CompareOrdinal(a.UserId, b.UserId));
        return users;
    }

    private Task<string[]> Leave(string roomId, string userId, string nodeId) =>
        Run(ChatPresenceScripts.Leave, _keys.For(roomId, userId, nodeId), nodeId, userId, ChatPresenceKeys.Entry(roomId, userId));

    /// <summary>Sends the script now (so call order is Redis order); a faulted task when Redis is not there.</summary>
    private Task<string[]> Run(string script, string[] keys, params string[] args)
    {
        if (_stopped || !_backplane.IsConnected) return Task.FromException<string[]>(new InvalidOperationException("Redis is not connected."));
        try
        {
            return _backplane.EvaluateAsync(script, keys, args);
        }
        catch (Exception e)
        {
            return Task.FromException<string[]>(e);
        }
    }

    /// <summary>The script's answer, or null (logged) when Redis failed or was slower than ScaleOut:QueryTimeout.</summary>
    private async Task<string[]?> AwaitAsync(Task<string[]> pending, string what, string roomId)
    {
        try
        {
            return await pending.WaitAsync(_timeout).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            _logger.LogWarning("Cluster presence {What} for room {Room} fell back to this node's view: {Reason}", what, roomId, e.Message);
            return null;
        }
    }

    private object Stripe(string roomId, string userId) =>
        _stripes[(int)((uint)HashCode.Combine(roomId, userId) % StripeCount)];

    /// <summary>
    /// Cleans up after the lost node, then after any other node that still has an index but is neither in the node set
    /// nor heart-beating: one whose clean-up was interrupted (its survivor died too). Two nodes cleaning up the same
    /// node is harmless: each entry's leave script removes it once, and only that one announces.
    /// </summary>
    private async Task OnNodeLostAsync(string nodeId)
    {
        await RemoveNodeAsync(nodeId, "lost").ConfigureAwait(false);
        try
        {
            var live = await _backplane.SetMembersAsync(_channels.Nodes).ConfigureAwait(false);
            foreach (string node in await _backplane.SetMembersAsync(_keys.IndexedNodes).ConfigureAwait(false))
            {
                if (node == _cluster.NodeId || Array.IndexOf(live, node) >= 0) continue;
                if (await _backplane.ExistsAsync(_channels.Heartbeat(node)).ConfigureAwait(false)) continue;
                await RemoveNodeAsync(node, "orphaned").ConfigureAwait(false);
            }
        }
        catch (Exception e)
        {
            _logger.LogWarning(e, "Looking for orphaned chat presence after node {Node} was lost failed", nodeId);
        }
    }

    /// <summary>Removes <paramref name="nodeId"/> from each of its entries; announces the users it was the last node of.</summary>
    private async Task RemoveNodeAsync(string nodeId, string why)
    {
        try
        {
            var entries = await _backplane.SetMembersAsync(_keys.Node(nodeId)).ConfigureAwait(false);
            int left = 0;
            foreach (string entry in entries)
            {
                if (!ChatPresenceKeys.TryParseEntry(entry, out string roomId, out string userId)) continue;
                var answer = await _backplane.EvaluateAsync(ChatPresenceScripts.Leave, _keys.For(roomId, userId, nodeId),
                    [nodeId, userId, entry]).ConfigureAwait(false);
                if (answer is not ["1", var name, ..]) continue;
                left++;
                await AnnounceLeftAsync(roomId, new ChatUser(userId, name)).ConfigureAwait(false);
            }
            await _backplane.DeleteAsync(_keys.Node(nodeId)).ConfigureAwait(false);
            await _backplane.SetRemoveAsync(_keys.IndexedNodes, nodeId).ConfigureAwait(false);
            _logger.LogInformation("Chat presence of node {Node} ({Why}) removed: {Entries} room memberships, {Left} users left their rooms",
                nodeId, why, entries.Length, left);
        }
        catch (Exception e)
        {
            _logger.LogWarning(e, "Removing the chat presence of node {Node} ({Why}) failed", nodeId, why);
        }
    }

    /// <summary>
    /// Redis is back (possibly restarted empty): writes this node's entries again and removes the ones whose sockets
    /// left meanwhile. Join announcements missed during the outage are not replayed; leaves that were the last are.
    /// "Connected" is raised when the first of the multiplexer's connections is back, so early attempts may fail: they
    /// are retried every <see cref="ResyncRetryDelay"/>, at most <see cref="ResyncAttempts"/> times (then at the next
    /// reconnect).
    /// </summary>
    private async Task ResyncWithRetriesAsync()
    {
        for (int attempt = 1; !_stopped && _backplane.IsConnected; attempt++)
        {
            try
            {
                await ResyncAsync().ConfigureAwait(false);
                return;
            }
            catch (Exception e) when (attempt < ResyncAttempts)
            {
                _logger.LogDebug(e, "Rewriting chat presence after a reconnect failed (attempt {Attempt}); retrying", attempt);
            }
            catch (Exception e)
            {
                _logger.LogWarning(e, "Rewriting chat presence after a reconnect failed {Attempts} times; retried at the next reconnect", attempt);
                return;
            }
            await Task.Delay(ResyncRetryDelay).ConfigureAwait(false);
        }
    }

    private async Task ResyncAsync()
    {
        var pending = new List<Task<string[]>>();
        foreach (var (roomId, user) in _local.Entries())
        {
            lock (Stripe(roomId, user.UserId))
            {
                if (_local.SocketsOf(roomId, user.UserId) > 0)
                    pending.Add(Run(ChatPresenceScripts.Join, _keys.For(roomId, user.UserId, _cluster.NodeId), _cluster.NodeId, user.UserId,
                        user.UserName, ChatPresenceKeys.Entry(roomId, user.UserId)));
            }
        }
        await Task.WhenAll(pending).ConfigureAwait(false);
        foreach (string entry in await _backplane.SetMembersAsync(_keys.Node(_cluster.NodeId)).ConfigureAwait(false))
        {
            if (!ChatPresenceKeys.TryParseEntry(entry, out string roomId, out string userId)) continue;
            Task<string[]> leave;
            lock (Stripe(roomId, userId))
            {
                if (_local.SocketsOf(roomId, userId) > 0) continue;
                leave = Leave(roomId, userId, _cluster.NodeId);
            }
            if (await leave.ConfigureAwait(false) is ["1", var name, ..])
                await AnnounceLeftAsync(roomId, new ChatUser(userId, name)).ConfigureAwait(false);
        }
        _logger.LogInformation("Chat presence written to Redis on connecting ({Count} room memberships of this node)", pending.Count);
    }

    /// <summary>A failed announcement is logged; the clean-up it is part of goes on.</summary>
    private async Task AnnounceLeftAsync(string roomId, ChatUser user)
    {
        try
        {
            await ChatAnnouncements.UserLeftAsync(Chat, this, roomId, user).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            _logger.LogWarning(e, "Announcing that {User} left room {Room} failed", user.UserId, roomId);
        }
    }

    // Resolved when first needed: the chat namespace's emitter depends (through the gateways) on this directory.
    private IGatewayEmitter Chat => _services.GetRequiredService<IGatewayEmitter<ChatGateway>>();

    /// <summary>
    /// A clean stop, after the server closed its sockets: this node leaves every room it is still in (users with no other
    /// node get <c>chat:user-left</c>), then further changes stay local. Idempotent.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (_stopped || !_backplane.IsConnected) return;
        await RemoveNodeAsync(_cluster.NodeId, "stopping").ConfigureAwait(false);
        _stopped = true;
    }

    /// <summary>For containers disposed synchronously; the host has normally stopped it already (then this returns at once).</summary>
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();
}
