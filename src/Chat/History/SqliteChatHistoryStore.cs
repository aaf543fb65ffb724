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
/// <para><see cref="DisposeAsync"/> commits every queued append before it closes the file, so a graceful shutdown loses
/// nothing that was accepted. A process crash loses only appends not yet acknowledged.</para>
/// </remarks>
public sealed class SqliteChatHistoryStore : IChatHistoryStore
{
    private const string NewestSql =
        $"SELECT {SqliteMessageColumns.SelectList} FROM messages WHERE room_id = $room_id ORDER BY id DESC LIMIT $limit;";
    private const string NewestBeforeSql =
        $"SELECT {SqliteMessageColumns.SelectList} FROM messages WHERE room_id = $room_id AND id < $before_id ORDER BY id DESC LIMIT $limit;";

    private readonly SqliteHistoryOptions _options;
    private readonly ILogger _logger;
    private readonly string _readConnectionString;
    private readonly SqliteMessageInserter _inserter;
    private readonly GroupCommitWriter<ChatMessage> _writer;
    private int _disposed;

    /// <param name="options">File and limits; read once here.</param>
    /// <param name="logger">Start-up, commit failures and overload.</param>
    /// <param name="meter">When given, the store's instruments are created on it (see <see cref="GroupCommitWriter{TItem}"/>).</param>
    public SqliteChatHistoryStore(SqliteHistoryOptions options, ILogger<SqliteChatHistoryStore>? logger = null, Meter? meter = null)
    {
        ArgumentNullException.ThrowIfNull(options);
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
        _writer = new GroupCommitWriter<ChatMessage>(_inserter, options.MaxPendingMessages, options.MaxBatchSize, _logger, meter, "sqlite");
    }

    /// <summary>The database file.</summary>
    public string DatabasePath { get; }

    /// <summary>Appends accepted and not yet committed.</summary>
    public int PendingAppends => _writer.Pending;

    /// <inheritdoc />
    /// <remarks>Storing an id that is already stored is a no-op that succeeds. See <see cref="GroupCommitWriter{TItem}.WriteAsync"/>
    /// for the failures (overloaded, commit failed, disposed).</remarks>
    public ValueTask AppendAsync(ChatMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        return _writer.WriteAsync(message, cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks><paramref name="limit"/> is clamped to <see cref="SqliteHistoryOptions.MaxMessagesPerRead"/>.</remarks>
    public ValueTask<IReadOnlyList<ChatMessage>> GetRecentAsync(string roomId, int limit, string? beforeId = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(roomId);
        limit = _options.ClampReadLimit(limit);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        cancellationToken.ThrowIfCancellationRequested();
        if (limit == 0) return new ValueTask<IReadOnlyList<ChatMessage>>(Array.Empty<ChatMessage>());

        using var connection = new SqliteConnection(_readConnectionString);
        connection.Open();
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = beforeId is null ? NewestSql : NewestBeforeSql;
        command.Parameters.AddWithValue("$room_id", roomId);
        command.Parameters.AddWithValue("$limit", limit);
        if (beforeId is not null) command.Parameters.AddWithValue("$before_id", beforeId);

        var messages = new List<ChatMessage>(limit);
        using (SqliteDataReader reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                messages.Add(new ChatMessage(
                    Id: reader.GetString(0),
                    RoomId: reader.GetString(1),
                    UserId: reader.GetString(2),
                    UserName: reader.GetString(3),
                    Text: reader.GetString(4),
                    SentAt: SqliteMessageColumns.FromUnixMicroseconds(reader.GetInt64(5))));
            }
        }
        messages.Reverse(); // newest first from the index, oldest first for the caller
        return new ValueTask<IReadOnlyList<ChatMessage>>(messages);
    }

    /// <summary>Commits every accepted append, then closes the file (writer and pooled readers). Idempotent.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        await _writer.DisposeAsync().ConfigureAwait(false);
        _inserter.Dispose();
        using (var connection = new SqliteConnection(_readConnectionString))
        {
            SqliteConnection.ClearPool(connection);
        }
        _logger.LogInformation("Chat history in {Path} closed", DatabasePath);
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
