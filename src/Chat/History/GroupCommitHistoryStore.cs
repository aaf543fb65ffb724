using System.Data.Common;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;

namespace FastRealtime.Chat.History;

/// <summary>
/// What the SQL history stores share: appends go through a <see cref="GroupCommitWriter{TItem}"/> whose committer the
/// store supplies, reads are validated and clamped here and run by the store, and disposal drains the writer before the
/// store closes its connections.
/// </summary>
public abstract class GroupCommitHistoryStore : IChatHistoryStore
{
    /// <summary>The columns every read selects, in the order <see cref="ReadNewestFirstAsOldestFirst"/> reads them.</summary>
    private protected const string SelectList = "id, room_id, user_id, user_name, text, sent_at";

    private readonly HistoryStoreLimits _limits;
    private GroupCommitWriter<ChatMessage>? _writer;
    private int _disposed;

    private protected GroupCommitHistoryStore(HistoryStoreLimits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        _limits = limits;
    }

    /// <summary>Appends accepted and not yet committed.</summary>
    public int PendingAppends => Writer.Pending;

    private GroupCommitWriter<ChatMessage> Writer => _writer ?? throw new InvalidOperationException("The store's writer was not started.");

    /// <inheritdoc />
    /// <remarks>Storing an id that is already stored is a no-op that succeeds. See <see cref="GroupCommitWriter{TItem}.WriteAsync"/>
    /// for the failures (overloaded, commit failed, disposed).</remarks>
    public ValueTask AppendAsync(ChatMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        return Writer.WriteAsync(message, cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks><paramref name="limit"/> is clamped to <see cref="HistoryStoreLimits.MaxMessagesPerRead"/>.</remarks>
    public ValueTask<IReadOnlyList<ChatMessage>> GetRecentAsync(string roomId, int limit, string? beforeId = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(roomId);
        limit = _limits.ClampReadLimit(limit);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        if (cancellationToken.IsCancellationRequested) return ValueTask.FromCanceled<IReadOnlyList<ChatMessage>>(cancellationToken);
        if (limit == 0) return new ValueTask<IReadOnlyList<ChatMessage>>(Array.Empty<ChatMessage>());
        return ReadRecentAsync(roomId, limit, beforeId, cancellationToken);
    }

    /// <summary>Commits every accepted append, then closes the store's connections. Idempotent.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        if (_writer is not null) await _writer.DisposeAsync().ConfigureAwait(false);
        await CloseAsync().ConfigureAwait(false);
    }

    /// <summary>Starts the writer thread over <paramref name="committer"/>; called once at the end of the store's constructor.</summary>
    private protected void StartWriter(IBatchCommitter<ChatMessage> committer, ILogger logger, Meter? meter, string storeName) =>
        _writer = new GroupCommitWriter<ChatMessage>(committer, _limits.MaxPendingMessages, _limits.MaxBatchSize, logger, meter, storeName);

    /// <summary>At most <paramref name="limit"/> (≥ 1) messages of the room, newest by id first, optionally older than
    /// <paramref name="beforeId"/>, returned OLDEST first (see <see cref="ReadNewestFirstAsOldestFirst"/>).</summary>
    private protected abstract ValueTask<IReadOnlyList<ChatMessage>> ReadRecentAsync(string roomId, int limit, string? beforeId,
        CancellationToken cancellationToken);

    /// <summary>Closes the connections; the writer has stopped and committed everything by then.</summary>
    private protected abstract ValueTask CloseAsync();

    /// <summary>
    /// Reads rows selected as <see cref="SelectList"/> in descending id order (what the
    /// (room_id, id) index yields) and returns them oldest first, as callers want them.
    /// </summary>
    private protected static async ValueTask<IReadOnlyList<ChatMessage>> ReadNewestFirstAsOldestFirst(DbDataReader reader, int limit,
        Func<DbDataReader, DateTimeOffset> readSentAt, CancellationToken cancellationToken)
    {
        var messages = new List<ChatMessage>(limit);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            messages.Add(new ChatMessage(
                Id: reader.GetString(0),
                RoomId: reader.GetString(1),
                UserId: reader.GetString(2),
                UserName: reader.GetString(3),
                Text: reader.GetString(4),
                SentAt: readSentAt(reader)));
        }
        messages.Reverse();
        return messages;
    }
}
