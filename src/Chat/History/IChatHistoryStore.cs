namespace FastRealtime.Chat.History;

/// <summary>
/// Where chat messages are kept so history survives restarts. Implementations are thread-safe singletons.
/// </summary>
public interface IChatHistoryStore : IAsyncDisposable
{
    /// <summary>
    /// Stores <paramref name="message"/> and completes only once it is durably committed (the ack waits on it).
    /// Concurrent appends may be committed together (group commit). Fails when the store cannot take it.
    /// </summary>
    ValueTask AppendAsync(ChatMessage message, CancellationToken cancellationToken = default);

    /// <summary>
    /// Up to <paramref name="limit"/> messages of <paramref name="roomId"/>, oldest first: the most recent ones, or, with
    /// <paramref name="beforeId"/>, the most recent of those older than that message (ids sort in sending order, see
    /// <see cref="ChatMessage.Id"/>), which pages back through history.
    /// </summary>
    ValueTask<IReadOnlyList<ChatMessage>> GetRecentAsync(string roomId, int limit, string? beforeId = null, CancellationToken cancellationToken = default);
}
