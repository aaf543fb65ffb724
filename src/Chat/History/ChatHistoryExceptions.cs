namespace FastRealtime.Chat.History;

/// <summary>
/// The store refused a message because its write queue is full (<c>MaxPendingMessages</c> not yet committed): the
/// storage cannot keep up. Nothing was queued; the caller may answer the client with an error and let it retry.
/// </summary>
public sealed class ChatHistoryOverloadedException(int maxPending)
    : InvalidOperationException($"The chat history store is overloaded: {maxPending} messages are already waiting to be committed.")
{
    /// <summary>The queue limit that was reached.</summary>
    public int MaxPending { get; } = maxPending;
}

/// <summary>
/// The transaction that held this message failed, so the message is not stored. The inner exception is the storage's
/// error; every message of the same batch fails with it, later batches are tried afresh.
/// </summary>
public sealed class ChatHistoryCommitException(int batchSize, Exception inner)
    : Exception($"Committing a batch of {batchSize} chat messages failed: {inner.Message}", inner)
{
    /// <summary>Messages in the failed batch.</summary>
    public int BatchSize { get; } = batchSize;
}
