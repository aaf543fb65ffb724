using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace FastRealtime.Chat.History;

/// <summary>
/// The shared history store of several nodes: PostgreSQL table <c>chat_messages</c>, appends group-committed by a
/// <see cref="GroupCommitWriter{TItem}"/> on one writer connection (one INSERT per batch), reads asynchronous on the
/// data source's connection pool.
/// </summary>
/// <remarks>
/// Opening connects, creates the table when missing (<see cref="PostgresHistorySchema"/>) and throws when the server
/// cannot be reached. <see cref="GroupCommitHistoryStore.DisposeAsync"/> commits every queued append, then closes the
/// connections.
/// </remarks>
public sealed class PostgresChatHistoryStore : GroupCommitHistoryStore
{
    private const string NewestSql =
        $"SELECT {SelectList} FROM {PostgresHistorySchema.Table} WHERE room_id = $1 ORDER BY id DESC LIMIT $2";
    private const string NewestBeforeSql =
        $"SELECT {SelectList} FROM {PostgresHistorySchema.Table} WHERE room_id = $1 AND id < $3 ORDER BY id DESC LIMIT $2";

    private readonly NpgsqlDataSource _dataSource;
    private readonly PostgresMessageInserter _inserter;

    /// <param name="options">Connection string and limits; read once here.</param>
    /// <param name="logger">Start-up, commit failures and overload.</param>
    /// <param name="meter">When given, the store's instruments are created on it (see <see cref="GroupCommitMetrics"/>).</param>
    public PostgresChatHistoryStore(PostgresHistoryOptions options, ILogger<PostgresChatHistoryStore>? logger = null, Meter? meter = null)
        : base(options)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(options.ConnectionString, "options.ConnectionString");
        ILogger log = (ILogger?)logger ?? NullLogger.Instance;
        _dataSource = NpgsqlDataSource.Create(options.ConnectionString);
        try
        {
            NpgsqlConnection connection = _dataSource.OpenConnection();
            try
            {
                PostgresHistorySchema.EnsureCreated(connection);
                _inserter = new PostgresMessageInserter(_dataSource, connection);
            }
            catch
            {
                connection.Dispose();
                throw;
            }
            log.LogInformation("Chat history in PostgreSQL {Host}:{Port}/{Database}, table {Table}",
                connection.Host, connection.Port, connection.Database, PostgresHistorySchema.Table);
        }
        catch
        {
            _dataSource.Dispose();
            throw;
        }
        StartWriter(_inserter, log, meter, "postgres");
    }

    private protected override async ValueTask<IReadOnlyList<ChatMessage>> ReadRecentAsync(string roomId, int limit, string? beforeId,
        CancellationToken cancellationToken)
    {
        await using NpgsqlCommand command = _dataSource.CreateCommand(beforeId is null ? NewestSql : NewestBeforeSql);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = roomId });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limit });
        if (beforeId is not null) command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = beforeId });

        await using NpgsqlDataReader reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await ReadNewestFirstAsOldestFirst(reader, limit,
            static row => row.GetFieldValue<DateTimeOffset>(5), cancellationToken).ConfigureAwait(false);
    }

    private protected override async ValueTask CloseAsync()
    {
        _inserter.Dispose();
        await _dataSource.DisposeAsync().ConfigureAwait(false);
    }
}
