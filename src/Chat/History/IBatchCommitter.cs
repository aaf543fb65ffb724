namespace FastRealtime.Chat.History;

/// <summary>
/// Writes one batch of items in one transaction for <see cref="GroupCommitWriter{TItem}"/>: returns once the transaction
/// is durably committed, throws when it is not (then nothing of the batch may count as stored).
/// </summary>
/// <remarks>Called on the writer's own thread, one batch at a time, so an implementation may keep one connection and
/// prepared statements without locking. Blocking is expected (fsync).</remarks>
public interface IBatchCommitter<TItem>
{
    void CommitBatch(ReadOnlySpan<TItem> batch);
}
