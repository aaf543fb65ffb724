using FastRealtime.Chat.History;

namespace FastRealtime.Tests.ChatBackend;

/// <summary>A history store in memory for gateway tests; <see cref="FailAppends"/> makes appends throw (a full disk).</summary>
public sealed class InMemoryChatHistoryStore : IChatHistoryStore
{
    private readonly List<ChatMessage> _messages = [];

    public bool FailAppends { get; set; }

    public int Count
    {
        get { lock (_messages) return _messages.Count; }
    }

    public async ValueTask AppendAsync(ChatMessage message, CancellationToken cancellationToken = default)
    {
        await Task.Yield(); // completes asynchronously, as a real commit does
        if (FailAppends) throw new IOException("disk full (test)");
        lock (_messages) _messages.Add(message);
    }

    public ValueTask<IReadOnlyList<ChatMessage>> GetRecentAsync(string roomId, int limit, string? beforeId = null, CancellationToken cancellationToken = default)
    {
        lock (_messages)
        {
            var page = _messages
                .Where(m => m.RoomId == roomId && (beforeId is null || string.CompareOrdinal(m.Id, beforeId) < 0))
                .OrderBy(m => m.Id, StringComparer.Ordinal)
                .TakeLast(limit)
                .ToArray();
            return ValueTask.FromResult<IReadOnlyList<ChatMessage>>(page);
        }
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
