using FastRealtime.Chat.History;

namespace FastRealtime.Tests.History;

/// <summary>
/// What every <see cref="IChatHistoryStore"/> must do, run against each store by a derived class (SQLite, PostgreSQL)
/// that says how to open one on its own empty storage and how to count what is stored there.
/// </summary>
public abstract class ChatHistoryStoreContractTests
{
    protected static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);
    protected static readonly DateTimeOffset Noon = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);

    private readonly ChatMessageId _ids = new();

    /// <summary>A store on this test's storage: empty the first time, the same data when opened again.</summary>
    protected abstract IChatHistoryStore Open(Action<HistoryStoreLimits>? configure = null);

    /// <summary>Rows in the storage, read past the store.</summary>
    protected abstract Task<long> CountStoredAsync();
    [Fact]
    public async Task AppendAsync_ThenGetRecent_RoundTripsEveryField()
    {
        await using var store = Open();
        var sent = new ChatMessage(_ids.Next(), "user-1", "Zoë ✓", "general", "hello 'world'; -- \"quoted\" ✓",
            new DateTimeOffset(2026, 11, 22, 13, 14, 15, 678, TimeSpan.FromHours(2)).AddTicks(9_010)); // .678901 s

        await store.AppendAsync(sent);
        var read = await store.GetRecentAsync("general", 10);

        ChatMessage got = Assert.Single(read);
        Assert.Equal(sent, got);
        Assert.Equal(TimeSpan.Zero, got.SentAt.Offset); // stored and returned as UTC
    }

    [Fact]
    public async Task AppendAsync_SentAtFinerThanMicroseconds_TruncatedToTheMicrosecond()
    {
        await using var store = Open();
        await store.AppendAsync(Message("general", "x", Noon.AddTicks(15)));

        Assert.Equal(Noon.AddTicks(10), Assert.Single(await store.GetRecentAsync("general", 1)).SentAt);
    }

    [Fact]
    public async Task GetRecentAsync_SeveralMessages_OldestFirst()
    {
        await using var store = Open();
        ChatMessage[] sent = await AppendAsync(store, "general", 5);

        Assert.Equal(sent, await store.GetRecentAsync("general", 50));
    }

    [Fact]
    public async Task GetRecentAsync_Limit_TheNewestLimitMessagesOldestFirst()
    {
        await using var store = Open();
        ChatMessage[] sent = await AppendAsync(store, "general", 10);

        Assert.Equal(sent[7..], await store.GetRecentAsync("general", 3));
        Assert.Empty(await store.GetRecentAsync("general", 0));
    }

    [Fact]
    public async Task GetRecentAsync_LimitAboveMaxMessagesPerRead_Clamped()
    {
        await using var store = Open(limits => limits.MaxMessagesPerRead = 4);
        ChatMessage[] sent = await AppendAsync(store, "general", 6);

        Assert.Equal(sent[2..], await store.GetRecentAsync("general", 100));
    }

    [Fact]
    public async Task GetRecentAsync_BeforeId_PagesBackThroughTheWholeHistory()
    {
        await using var store = Open();
        ChatMessage[] sent = await AppendAsync(store, "general", 1_000);

        var pages = new List<IReadOnlyList<ChatMessage>>();
        string? before = null;
        while (true)
        {
            var page = await store.GetRecentAsync("general", 37, before);
            if (page.Count == 0) break;
            pages.Add(page);
            before = page[0].Id; // the oldest of this page is the cursor for the next one back
        }

        Assert.Equal(28, pages.Count); // 27 full pages and 1 of 1
        Assert.Equal(sent, pages.AsEnumerable().Reverse().SelectMany(p => p));
        Assert.Equal(sent[..1], pages[^1]);
    }

    [Fact]
    public async Task GetRecentAsync_BeforeIdOfAnotherRoomOrUnknown_ComparesByIdOrder()
    {
        await using var store = Open();
        ChatMessage[] sent = await AppendAsync(store, "general", 4);
        string between = sent[2].Id[..^1] + "~"; // not stored; sorts after sent[2] and before sent[3]

        Assert.Equal(sent[1..3], await store.GetRecentAsync("general", 2, between));
        Assert.Empty(await store.GetRecentAsync("general", 10, sent[0].Id));
    }

    [Fact]
    public async Task GetRecentAsync_OtherRooms_NotMixedIn()
    {
        await using var store = Open();
        ChatMessage[] general = await AppendAsync(store, "general", 3);
        ChatMessage[] random = await AppendAsync(store, "random", 2);
        ChatMessage[] generalAgain = await AppendAsync(store, "general", 2);

        Assert.Equal(general.Concat(generalAgain), await store.GetRecentAsync("general", 10));
        Assert.Equal(random, await store.GetRecentAsync("random", 10));
        Assert.Empty(await store.GetRecentAsync("nobody-here", 10));
    }

    [Fact]
    public async Task AppendAsync_ManyParallelAppenders_AllCompleteAndAllStored()
    {
        await using var store = Open();
        const int appenders = 64, each = 50;

        await Task.WhenAll(Enumerable.Range(0, appenders).Select(a => Task.Run(async () =>
        {
            for (int i = 0; i < each; i++) await store.AppendAsync(Message($"room-{a % 4}", $"{a}:{i}"));
        }))).WaitAsync(Bound);

        Assert.Equal(appenders * each, await CountStoredAsync());
        var room0 = await store.GetRecentAsync("room-0", 1_000);
        Assert.Equal(appenders / 4 * each, room0.Count);
        Assert.Equal(room0.OrderBy(m => m.Id, StringComparer.Ordinal), room0);
    }

    [Fact]
    public async Task AppendAsync_SameIdTwice_StoredOnceAndTheRestOfTheBatchToo()
    {
        await using var store = Open();
        ChatMessage first = Message("general", "first");

        await Task.WhenAll(
            store.AppendAsync(first).AsTask(),
            store.AppendAsync(first with { Text = "retried" }).AsTask(),
            store.AppendAsync(Message("general", "other")).AsTask()).WaitAsync(Bound);

        Assert.Equal(["first", "other"], (await store.GetRecentAsync("general", 10)).Select(m => m.Text));
    }

    [Fact]
    public async Task Reopen_AfterDispose_KeepsEveryMessage()
    {
        ChatMessage[] sent;
        await using (var store = Open())
        {
            sent = await AppendAsync(store, "general", 20);
        }

        await using var reopened = Open();
        Assert.Equal(sent, await reopened.GetRecentAsync("general", 100));
        ChatMessage more = Message("general", "after restart");
        await reopened.AppendAsync(more);
        Assert.Equal(more, (await reopened.GetRecentAsync("general", 100))[^1]);
    }

    [Fact]
    public async Task DisposeAsync_AppendsStillQueued_CommitsThemBeforeClosing()
    {
        var store = Open(limits => limits.MaxBatchSize = 10); // many transactions are still to run when disposal starts
        ChatMessage[] sent = Enumerable.Range(0, 2_000).Select(i => Message("general", $"m{i}")).ToArray();
        Task[] appends = sent.Select(m => store.AppendAsync(m).AsTask()).ToArray();

        await store.DisposeAsync().AsTask().WaitAsync(Bound);

        Assert.All(appends, a => Assert.True(a.IsCompletedSuccessfully));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => store.AppendAsync(Message("general", "late")).AsTask());
        await using var reopened = Open();
        Assert.Equal(sent[^1000..], await reopened.GetRecentAsync("general", 1_000));
        Assert.Equal(sent.Length, await CountStoredAsync());
    }

    protected ChatMessage Message(string room, string text, DateTimeOffset? sentAt = null) =>
        new(_ids.Next(), "user-1", "Ann", room, text, sentAt ?? Noon);

    // Sequential appends (ids in sending order) or all at once (one or a few group commits).
    protected async Task<ChatMessage[]> AppendAsync(IChatHistoryStore store, string room, int count, bool concurrently = false)
    {
        ChatMessage[] messages = Enumerable.Range(0, count).Select(i => Message(room, $"{room} {i}")).ToArray();
        if (concurrently)
        {
            await Task.WhenAll(messages.Select(m => store.AppendAsync(m).AsTask())).WaitAsync(Bound);
        }
        else
        {
            foreach (ChatMessage message in messages) await store.AppendAsync(message);
        }
        return messages;
    }
}
