using FastRealtime.Chat.History;
using Microsoft.Data.Sqlite;

namespace FastRealtime.Tests.History;

public sealed class SqliteChatHistoryStoreTests : IDisposable
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);
    private static readonly DateTimeOffset Noon = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);

    private readonly TempDataFolder _folder = new();
    private readonly ChatMessageId _ids = new();

    public void Dispose() => _folder.Dispose();

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
        await using var store = Open(o => o.MaxMessagesPerRead = 4);
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

        Assert.Equal(appenders * each, CountRows(_folder.File("history.db")));
        var room0 = await store.GetRecentAsync("room-0", 1_000);
        Assert.Equal(appenders / 4 * each, room0.Count);
        Assert.Equal(room0.OrderBy(m => m.Id, StringComparer.Ordinal), room0);
        Assert.Equal(0, store.PendingAppends);
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
        var store = Open(o => o.MaxBatchSize = 10); // many transactions are still to run when disposal starts
        ChatMessage[] sent = Enumerable.Range(0, 2_000).Select(i => Message("general", $"m{i}")).ToArray();
        Task[] appends = sent.Select(m => store.AppendAsync(m).AsTask()).ToArray();

        await store.DisposeAsync().AsTask().WaitAsync(Bound);

        Assert.All(appends, a => Assert.True(a.IsCompletedSuccessfully));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => store.AppendAsync(Message("general", "late")).AsTask());
        await using var reopened = Open();
        Assert.Equal(sent[^1000..], await reopened.GetRecentAsync("general", 1_000));
        Assert.Equal(sent.Length, CountRows(_folder.File("history.db")));
    }

    [Fact]
    public async Task AppendAsync_DatabaseLockedAndQueueFull_RefusedAtOnceThenAllQueuedCommitted()
    {
        await using var store = Open(o => o.MaxPendingMessages = 3);
        await store.AppendAsync(Message("general", "warm-up")); // the schema exists, the writer is idle

        Task[] queued;
        using (var locker = OpenConnection(_folder.File("history.db")))
        {
            using (var begin = locker.CreateCommand())
            {
                begin.CommandText = "BEGIN IMMEDIATE;"; // holds the write lock: the store's writer waits in its busy handler
                begin.ExecuteNonQuery();
            }
            queued = [.. Enumerable.Range(0, 3).Select(i => store.AppendAsync(Message("general", $"q{i}")).AsTask())];

            ValueTask refused = store.AppendAsync(Message("general", "one too many"));

            Assert.True(refused.IsFaulted);
            await Assert.ThrowsAsync<ChatHistoryOverloadedException>(() => refused.AsTask());
            Assert.All(queued, q => Assert.False(q.IsCompleted));
            using var rollback = locker.CreateCommand();
            rollback.CommandText = "ROLLBACK;";
            rollback.ExecuteNonQuery();
        }

        await Task.WhenAll(queued).WaitAsync(Bound);
        Assert.Equal(["warm-up", "q0", "q1", "q2"], (await store.GetRecentAsync("general", 10)).Select(m => m.Text));
    }

    [Fact]
    public async Task AppendAsync_Completed_IsInTheFilesWithoutDispose()
    {
        // A crash: the store is never disposed; the database and its WAL are copied as they are on disk right after
        // the acks, and the copy alone must hold every acknowledged message.
        var store = Open();
        ChatMessage[] sent = await AppendAsync(store, "general", 300, concurrently: true);

        string crashed = Path.Combine(_folder.Path, "crashed");
        Directory.CreateDirectory(crashed);
        File.Copy(_folder.File("history.db"), Path.Combine(crashed, "history.db"));
        Assert.True(File.Exists(_folder.File("history.db-wal")));
        File.Copy(_folder.File("history.db-wal"), Path.Combine(crashed, "history.db-wal"));

        await using var recovered = new SqliteChatHistoryStore(new SqliteHistoryOptions { DataDirectory = crashed });
        Assert.Equal(sent.OrderBy(m => m.Id, StringComparer.Ordinal), await recovered.GetRecentAsync("general", 1_000));
        await store.DisposeAsync();
    }

    [Fact]
    public async Task Open_MissingFolder_CreatesItAndAWalDatabase()
    {
        string nested = Path.Combine(_folder.Path, "a", "b");
        await using (var store = new SqliteChatHistoryStore(new SqliteHistoryOptions { DataDirectory = nested }))
        {
            Assert.Equal(Path.Combine(nested, "history.db"), store.DatabasePath);
        }

        using var connection = OpenConnection(Path.Combine(nested, "history.db"));
        Assert.Equal("wal", Scalar(connection, "PRAGMA journal_mode;"));
        Assert.Equal(1L, Scalar(connection, "PRAGMA user_version;"));
        Assert.Equal(1L, Scalar(connection, "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name = 'messages_room_id_id';"));
    }

    [Fact]
    public async Task Open_EmptyFile_MigratesItToTheCurrentSchema()
    {
        File.WriteAllBytes(_folder.File("history.db"), []);

        await using var store = Open();
        await store.AppendAsync(Message("general", "into an empty file"));

        Assert.Single(await store.GetRecentAsync("general", 10));
    }

    [Fact]
    public async Task Open_Again_SchemaUntouchedAndDataKept()
    {
        await using (var store = Open()) await store.AppendAsync(Message("general", "kept"));
        await using (var store = Open()) { }

        using var connection = OpenConnection(_folder.File("history.db"));
        Assert.Equal(1L, Scalar(connection, "PRAGMA user_version;"));
        Assert.Equal(1L, Scalar(connection, "SELECT count(*) FROM messages;"));
    }

    [Fact]
    public void Open_NewerSchemaVersion_RefusedWithoutChangingTheFile()
    {
        using (var connection = OpenConnection(_folder.File("history.db")))
        {
            Scalar(connection, "PRAGMA user_version = 99;");
        }

        var error = Assert.Throws<InvalidOperationException>(() => Open());

        Assert.Contains("99", error.Message);
        using var check = OpenConnection(_folder.File("history.db"));
        Assert.Equal(99L, Scalar(check, "PRAGMA user_version;"));
    }

    [Fact]
    public void Open_NotADatabase_Throws()
    {
        File.WriteAllText(_folder.File("history.db"), new string('x', 4096));

        Assert.Throws<SqliteException>(() => Open());
    }

    private SqliteChatHistoryStore Open(Action<SqliteHistoryOptions>? configure = null)
    {
        var options = new SqliteHistoryOptions { DataDirectory = _folder.Path };
        configure?.Invoke(options);
        return new SqliteChatHistoryStore(options);
    }

    private ChatMessage Message(string room, string text, DateTimeOffset? sentAt = null) =>
        new(_ids.Next(), "user-1", "Ann", room, text, sentAt ?? Noon);

    // Sequential appends (ids in sending order) or all at once (one or a few group commits).
    private async Task<ChatMessage[]> AppendAsync(SqliteChatHistoryStore store, string room, int count, bool concurrently = false)
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

    private static SqliteConnection OpenConnection(string path)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        connection.Open();
        return connection;
    }

    private static object? Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    private static long CountRows(string path)
    {
        using var connection = OpenConnection(path);
        return (long)Scalar(connection, "SELECT count(*) FROM messages;")!;
    }
}
