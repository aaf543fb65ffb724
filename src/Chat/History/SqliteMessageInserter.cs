using Microsoft.Data.Sqlite;

namespace FastRealtime.Chat.History;

/// <summary>
/// The SQLite side of group commit: one connection and one prepared INSERT, each batch one transaction.
/// <c>INSERT OR IGNORE</c> makes appending an already stored id a no-op (a retried append), so one duplicate cannot
/// fail the other messages of its batch.
/// </summary>
/// <remarks>Used only by the writer thread of <see cref="GroupCommitWriter{TItem}"/> (and disposed after it stopped).</remarks>
internal sealed class SqliteMessageInserter : IBatchCommitter<ChatMessage>, IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly SqliteCommand _insert;
    private readonly SqliteParameter _id, _roomId, _userId, _userName, _text, _sentAt;

    public SqliteMessageInserter(SqliteConnection connection)
    {
        _connection = connection;
        _insert = connection.CreateCommand();
        _insert.CommandText =
            "INSERT OR IGNORE INTO messages (id, room_id, user_id, user_name, text, sent_at) " +
            "VALUES ($id, $room_id, $user_id, $user_name, $text, $sent_at);";
        _id = _insert.Parameters.Add("$id", SqliteType.Text);
        _roomId = _insert.Parameters.Add("$room_id", SqliteType.Text);
        _userId = _insert.Parameters.Add("$user_id", SqliteType.Text);
        _userName = _insert.Parameters.Add("$user_name", SqliteType.Text);
        _text = _insert.Parameters.Add("$text", SqliteType.Text);
        _sentAt = _insert.Parameters.Add("$sent_at", SqliteType.Integer);
        _insert.Prepare();
    }

    public void CommitBatch(ReadOnlySpan<ChatMessage> batch)
    {
        using SqliteTransaction transaction = _connection.BeginTransaction();
        _insert.Transaction = transaction;
        foreach (ChatMessage message in batch)
        {
            _id.Value = message.Id;
            _roomId.Value = message.RoomId;
            _userId.Value = message.UserId;
            _userName.Value = message.UserName;
            _text.Value = message.Text;
            _sentAt.Value = SqliteMessageColumns.ToUnixMicroseconds(message.SentAt);
            _insert.ExecuteNonQuery();
        }
        // With synchronous=FULL the commit returns after the WAL is fsynced: only then are the appends completed.
        transaction.Commit();
        // A failed batch rolls back when the transaction is disposed without Commit.
    }

    public void Dispose()
    {
        _insert.Dispose();
        _connection.Dispose();
    }
}
