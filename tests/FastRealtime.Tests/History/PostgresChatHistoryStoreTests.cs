using FastRealtime.Chat.History;
using Npgsql;

namespace FastRealtime.Tests.History;

/// <summary>The store contract and PostgreSQL specifics, each test in its own schema of one throwaway server.</summary>
public sealed class PostgresChatHistoryStoreTests : ChatHistoryStoreContractTests, IClassFixture<PostgresServerFixture>
{
    private readonly PostgresServerFixture _server;
    private readonly string _connectionString;
    private readonly string _schema;

    public PostgresChatHistoryStoreTests(PostgresServerFixture server)
    {
        _server = server;
        _connectionString = server.CreateSchema(out _schema);
    }

    protected override IChatHistoryStore Open(Action<HistoryStoreLimits>? configure = null) => OpenPostgres(configure);

    protected override Task<long> CountStoredAsync() =>
        Task.FromResult((long)_server.Execute($"SELECT count(*) FROM {_schema}.chat_messages;")!);

    [Fact]
    public async Task Open_Twice_OneTableWithByteOrderIdsAndTheDataKept()
    {
        await using (var store = OpenPostgres()) await store.AppendAsync(Message("general", "kept"));
        await using (var store = OpenPostgres()) { }

        Assert.Equal(1L, _server.Execute($"SELECT count(*) FROM pg_tables WHERE schemaname = '{_schema}' AND tablename = 'chat_messages';"));
        Assert.Equal("C", _server.Execute(
            $"SELECT collation_name FROM information_schema.columns WHERE table_schema = '{_schema}' AND table_name = 'chat_messages' AND column_name = 'id';"));
        Assert.Equal(1L, await CountStoredAsync());
    }

    [Fact]
    public async Task AppendAsync_TableLockedAndQueueFull_RefusedAtOnceThenAllQueuedCommitted()
    {
        await using var store = OpenPostgres(o => o.MaxPendingMessages = 3);
        await store.AppendAsync(Message("general", "warm-up"));

        Task[] queued;
        await using (var locker = new NpgsqlConnection(_server.AdminConnectionString))
        {
            await locker.OpenAsync();
            await using NpgsqlTransaction transaction = await locker.BeginTransactionAsync();
            await using (var lockTable = new NpgsqlCommand($"LOCK TABLE {_schema}.chat_messages IN EXCLUSIVE MODE;", locker, transaction))
            {
                await lockTable.ExecuteNonQueryAsync(); // the store's INSERT now waits for this transaction
            }
            queued = [.. Enumerable.Range(0, 3).Select(i => store.AppendAsync(Message("general", $"q{i}")).AsTask())];

            ValueTask refused = store.AppendAsync(Message("general", "one too many"));

            Assert.True(refused.IsFaulted);
            await Assert.ThrowsAsync<ChatHistoryOverloadedException>(() => refused.AsTask());
            Assert.All(queued, q => Assert.False(q.IsCompleted));
            await transaction.RollbackAsync();
        }

        await Task.WhenAll(queued).WaitAsync(Bound);
        Assert.Equal(["warm-up", "q0", "q1", "q2"], (await store.GetRecentAsync("general", 10)).Select(m => m.Text));
    }

    [Fact]
    public async Task AppendAsync_WriterConnectionKilled_ThatAppendFailsAndTheNextReconnects()
    {
        await using var store = OpenPostgres();
        await store.AppendAsync(Message("general", "before"));

        // Ends every session of this store (its writer included) and waits until they are gone.
        _server.Execute($"SELECT count(pg_terminate_backend(pid, 10000)) FROM pg_stat_activity WHERE application_name = '{_schema}';");

        var failure = await Assert.ThrowsAsync<ChatHistoryCommitException>(
            () => store.AppendAsync(Message("general", "lost with the connection")).AsTask().WaitAsync(Bound));
        await store.AppendAsync(Message("general", "after")).AsTask().WaitAsync(Bound);

        Assert.IsAssignableFrom<NpgsqlException>(failure.InnerException);
        Assert.Equal(["before", "after"], (await store.GetRecentAsync("general", 10)).Select(m => m.Text));
    }

    [Fact]
    public void Open_NoServerListening_Throws()
    {
        int closedPort = _server.Port == 1 ? 2 : 1; // privileged ports have no listener here
        var options = new PostgresHistoryOptions { ConnectionString = $"Host=127.0.0.1;Port={closedPort};Username=postgres;Timeout=5" };

        Assert.ThrowsAny<NpgsqlException>(() => new PostgresChatHistoryStore(options));
    }

    private PostgresChatHistoryStore OpenPostgres(Action<PostgresHistoryOptions>? configure = null)
    {
        var options = new PostgresHistoryOptions { ConnectionString = _connectionString };
        configure?.Invoke(options);
        return new PostgresChatHistoryStore(options);
    }
}
