using Npgsql;
using NpgsqlTypes;

namespace FastRealtime.Chat.History;

/// <summary>
/// The PostgreSQL side of group commit: each batch is ONE prepared statement, an INSERT from <c>unnest</c> of six array
/// parameters, so a batch costs one round trip and one WAL flush (autocommit; <c>synchronous_commit</c> as the server
/// says, on by default). <c>ON CONFLICT DO NOTHING</c> makes a retried id a no-op, as in the SQLite store.
/// </summary>
/// <remarks>
/// Used only by the writer thread. The column lists are reused from batch to batch. When the connection breaks, that
/// batch fails and the next one opens a new connection, so the writer outlives a server restart.
/// </remarks>
internal sealed class PostgresMessageInserter : IBatchCommitter<ChatMessage>, IDisposable
{
    private const string InsertSql = $"""
        INSERT INTO {PostgresHistorySchema.Table} (id, room_id, user_id, user_name, text, sent_at)
        SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::timestamptz[])
        ON CONFLICT (id) DO NOTHING
        """;

    private readonly NpgsqlDataSource _dataSource;
    private readonly List<string> _ids = [], _roomIds = [], _userIds = [], _userNames = [], _texts = [];
    private readonly List<DateTime> _sentAts = [];
    private NpgsqlConnection? _connection;
    private NpgsqlCommand? _insert;

    public PostgresMessageInserter(NpgsqlDataSource dataSource, NpgsqlConnection connection)
    {
        _dataSource = dataSource;
        Attach(connection);
    }

    public void CommitBatch(ReadOnlySpan<ChatMessage> batch)
    {
        if (_connection is null) Attach(_dataSource.OpenConnection());
        ClearColumns();
        foreach (ChatMessage message in batch)
        {
            _ids.Add(message.Id);
            _roomIds.Add(message.RoomId);
            _userIds.Add(message.UserId);
            _userNames.Add(message.UserName);
            _texts.Add(message.Text);
            _sentAts.Add(message.SentAt.UtcDateTime);
        }
        try
        {
            _insert!.ExecuteNonQuery();
        }
        catch
        {
            if (_connection!.FullState != System.Data.ConnectionState.Open)
            {
                Detach(); // the next batch reconnects
            }
            throw;
        }
        finally
        {
            ClearColumns(); // no message kept alive by the lists until the next batch
        }
    }

    public void Dispose() => Detach();

    private void Attach(NpgsqlConnection connection)
    {
        _connection = connection;
        _insert = new NpgsqlCommand(InsertSql, connection)
        {
            Parameters =
            {
                new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text, Value = _ids },
                new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text, Value = _roomIds },
                new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text, Value = _userIds },
                new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text, Value = _userNames },
                new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text, Value = _texts },
                new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.TimestampTz, Value = _sentAts },
            },
        };
        _insert.Prepare();
    }

    private void Detach()
    {
        _insert?.Dispose();
        _connection?.Dispose();
        _insert = null;
        _connection = null;
    }

    private void ClearColumns()
    {
        _ids.Clear();
        _roomIds.Clear();
        _userIds.Clear();
        _userNames.Clear();
        _texts.Clear();
        _sentAts.Clear();
    }
}
