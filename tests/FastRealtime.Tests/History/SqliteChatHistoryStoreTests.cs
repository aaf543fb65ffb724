using FastRealtime.Chat.History;
using Microsoft.Data.Sqlite;

namespace FastRealtime.Tests.History;

public sealed class SqliteChatHistoryStoreTests : ChatHistoryStoreContractTests, IDisposable
{
    private readonly TempDataFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    protected override IChatHistoryStore Open(Action<HistoryStoreLimits>? configure = null) => OpenSqlite(configure);

    protected override Task<long> CountStoredAsync() => Task.FromResult(CountRows(_folder.File("history.db")));
    [Fact]
    public async Task AppendAsync_DatabaseLockedAndQueueFull_RefusedAtOnceThenAllQueuedCommitted()
    {
        await using var store = Open(o => o.MaxPendingMessages = 3);
        await store.AppendAsync(Message("general", "warm-up")); // the schema exists, the writer is idle

        Task[] queued;
        using (HoldWriteLock()) // the store's writer waits in SQLite's busy handler meanwhile
        {
            queued = [.. Enumerable.Range(0, 3).Select(i => store.AppendAsync(Message("general", $"q{i}")).AsTask())];

            ValueTask refused = store.AppendAsync(Message("general", "one too many"));

            Assert.True(refused.IsFaulted);
            await Assert.ThrowsAsync<ChatHistoryOverloadedException>(() => refused.AsTask());
            Assert.All(queued, q => Assert.False(q.IsCompleted));
        }

        await Task.WhenAll(queued).WaitAsync(Bound);
        Assert.Equal(["warm-up", "q0", "q1", "q2"], (await store.GetRecentAsync("general", 10)).Select(m => m.Text));
    }

    [Fact]
    public async Task AppendAsync_WriteLockHeldPastTheTimeout_ThatBatchFailsAndTheNextIsStored()
    {
        await using var store = OpenSqlite(o => o.WriteLockTimeout = TimeSpan.FromMilliseconds(100));
        await store.AppendAsync(Message("general", "before"));

        ChatHistoryCommitException failure;
        using (HoldWriteLock())
        {
            failure = await Assert.ThrowsAsync<ChatHistoryCommitException>(
                () => store.AppendAsync(Message("general", "refused by the lock")).AsTask().WaitAsync(Bound));
        }
        await store.AppendAsync(Message("general", "after")).AsTask().WaitAsync(Bound);

        Assert.Equal(5, Assert.IsType<SqliteException>(failure.InnerException).SqliteErrorCode); // SQLITE_BUSY
        Assert.Equal(["before", "after"], (await store.GetRecentAsync("general", 10)).Select(m => m.Text));
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

    private SqliteChatHistoryStore OpenSqlite(Action<SqliteHistoryOptions>? configure = null)
    {
        var options = new SqliteHistoryOptions { DataDirectory = _folder.Path };
        configure?.Invoke(options);
        return new SqliteChatHistoryStore(options);
    }

    // Another connection holding the database's write lock until disposed (then it rolls back and closes).
    private SqliteConnection HoldWriteLock()
    {
        SqliteConnection locker = OpenConnection(_folder.File("history.db"));
        Scalar(locker, "BEGIN IMMEDIATE;");
        return locker;
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
