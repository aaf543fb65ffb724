using System.Diagnostics.Metrics;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace FastRealtime.Chat.History;

/// <summary>
/// The embedded history store: SQLite in <c>&lt;DataDirectory&gt;/history.db</c>, WAL mode, appends group-committed by
/// a <see cref="GroupCommitWriter{TItem}"/> on one writer connection, reads on pooled read-only connections that WAL lets
/// run beside the writer.
/// </summary>
/// <remarks>
/// <para>Opening creates the folder and the file and migrates the schema (<see cref="SqliteHistorySchema"/>); it throws
/// when the file cannot be opened, is not a database, or has a newer schema.</para>
/// <para>Reads are synchronous under their <see cref="ValueTask"/> (SQLite has no asynchronous I/O); they are short
/// index range scans.</para>
/// <para><see cref="GroupCommitHistoryStore.DisposeAsync"/> commits every queued append before it closes the file, so a
/// graceful shutdown loses nothing that was accepted. A process crash loses only appends not yet acknowledged.</para>
/// </remarks>
public sealed class SqliteChatHistoryStore : GroupCommitHistoryStore
{
    private const string NewestSql =
        $"SELECT {SelectList} FROM messages WHERE room_id = $room_id ORDER BY id DESC LIMIT $limit;";
    private const string NewestBeforeSql =
        $"SELECT {SelectList} FROM messages WHERE room_id = $room_id AND id < $before_id ORDER BY id DESC LIMIT $limit;";

    private readonly SqliteHistoryOptions _options;
    private readonly ILogger _logger;
    private readonly string _readConnectionString;
    private readonly SqliteMessageInserter _inserter;

    /// <param name="options">File and limits; read once here.</param>
    /// <param name="logger">Start-up, commit failures and overload.</param>
    /// <param name="meter">When given, the store's instruments are created on it (see <see cref="GroupCommitMetrics"/>).</param>
    public SqliteChatHistoryStore(SqliteHistoryOptions options, ILogger<SqliteChatHistoryStore>? logger = null, Meter? meter = null)
        : base(options)
    {
        _options = options;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        DatabasePath = options.DatabasePath;
        Directory.CreateDirectory(Path.GetDirectoryName(DatabasePath)!);

        SqliteConnection connection = OpenWriteConnection();
        try
        {
            int found = SqliteHistorySchema.Migrate(connection);
            _logger.LogInformation("Chat history in {Path} (SQLite, WAL, synchronous={Synchronous}, schema {Found} -> {Version})",
                DatabasePath, options.Synchronous, found, SqliteHistorySchema.CurrentVersion);
            _inserter = new SqliteMessageInserter(connection);
        }
        catch
        {
            connection.Dispose();
            throw;
        }

        _readConnectionString = new SqliteConnectionStringBuilder
        {
            DataSource = DatabasePath,
            Mode = SqliteOpenMode.ReadOnly,
            Pooling = true,
        }.ToString();
        StartWriter(_inserter, _logger, meter, "sqlite");
    }

    /// <summary>The database file.</summary>
    public string DatabasePath { get; }

    private protected override async ValueTask<IReadOnlyList<ChatMessage>> ReadRecentAsync(string roomId, int limit, string? beforeId,
        CancellationToken cancellationToken)
    {
        await using var connection = new SqliteConnection(_readConnectionString);
        connection.Open();
        await using SqliteCommand command = connection.CreateCommand();
        command.CommandText = beforeId is null ? NewestSql : NewestBeforeSql;
        command.Parameters.AddWithValue("$room_id", roomId);
        command.Parameters.AddWithValue("$limit", limit);
        if (beforeId is not null) command.Parameters.AddWithValue("$before_id", beforeId);

        await using SqliteDataReader reader = command.ExecuteReader();
        return await ReadNewestFirstAsOldestFirst(reader, limit,
            static row => SqliteMessageColumns.FromUnixMicroseconds(row.GetInt64(5)), cancellationToken).ConfigureAwait(false);
    }

    private protected override ValueTask CloseAsync()
    {
        _inserter.Dispose();
        using (var connection = new SqliteConnection(_readConnectionString))
        {
            SqliteConnection.ClearPool(connection);
        }
        _logger.LogInformation("Chat history in {Path} closed", DatabasePath);
        return ValueTask.CompletedTask;
    }

    private SqliteConnection OpenWriteConnection()
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = DatabasePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false, // the writer's one connection lives as long as the store and is really closed at the end
        }.ToString());
        try
        {
            connection.Open();
            string journalMode = ExecuteScalar(connection, "PRAGMA journal_mode = WAL;");
            if (!string.Equals(journalMode, "wal", StringComparison.OrdinalIgnoreCase))
            {
                throw new InvalidOperationException($"{DatabasePath} cannot use WAL mode (journal_mode is {journalMode}).");
            }
            string synchronous = _options.Synchronous == SqliteSynchronousMode.Normal ? "NORMAL" : "FULL";
            ExecuteScalar(connection, $"PRAGMA synchronous = {synchronous};");
            ExecuteScalar(connection, $"PRAGMA journal_size_limit = {_options.WalSizeLimitBytes};");
            // The inserter drives SQLite directly, past Microsoft.Data.Sqlite's own retry loop: SQLite itself must wait.
            ExecuteScalar(connection, $"PRAGMA busy_timeout = {(long)_options.WriteLockTimeout.TotalMilliseconds};");
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    private static string ExecuteScalar(SqliteConnection connection, string sql)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToString(command.ExecuteScalar()) ?? "";
    }
}
