using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace FastRealtime.Chat.History;

/// <summary>
/// The SQLite side of group commit: one connection and one prepared INSERT, each batch one transaction.
/// <c>INSERT OR IGNORE</c> makes appending an already stored id a no-op (a retried append), so one duplicate cannot
/// fail the other messages of its batch.
/// </summary>
/// <remarks>
/// <para>The per-row work goes straight to SQLitePCL's statement API on the connection's handle: binding the strings as
/// UTF-16 spans (SQLite converts them natively) allocates nothing per message, where Microsoft.Data.Sqlite's
/// parameters and ExecuteNonQuery cost about 0.8 KB per row. Microsoft.Data.Sqlite still opens, configures and
/// migrates the connection; only this class uses it afterwards, so it may drive transactions itself.</para>
/// <para>Used only by the writer thread of <see cref="GroupCommitWriter{TItem}"/> (and disposed after it stopped).</para>
/// </remarks>
internal sealed class SqliteMessageInserter : IBatchCommitter<ChatMessage>, IDisposable
{
    private const string InsertSql =
        "INSERT OR IGNORE INTO messages (id, room_id, user_id, user_name, text, sent_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6);";

    private readonly SqliteConnection _connection;
    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _insert;

    public SqliteMessageInserter(SqliteConnection connection)
    {
        _connection = connection;
        _db = connection.Handle ?? throw new InvalidOperationException("The connection is not open.");
        Check(raw.sqlite3_prepare_v2(_db, InsertSql, out _insert));
    }

    public void CommitBatch(ReadOnlySpan<ChatMessage> batch)
    {
        // IMMEDIATE: take the write lock up front, so a busy database fails (or waits) before any row is written.
        Execute("BEGIN IMMEDIATE;");
        try
        {
            foreach (ChatMessage message in batch)
            {
                Check(raw.sqlite3_bind_text16(_insert, 1, message.Id));
                Check(raw.sqlite3_bind_text16(_insert, 2, message.RoomId));
                Check(raw.sqlite3_bind_text16(_insert, 3, message.UserId));
                Check(raw.sqlite3_bind_text16(_insert, 4, message.UserName));
                Check(raw.sqlite3_bind_text16(_insert, 5, message.Text));
                Check(raw.sqlite3_bind_int64(_insert, 6, SqliteMessageColumns.ToUnixMicroseconds(message.SentAt)));
                int step = raw.sqlite3_step(_insert);
                raw.sqlite3_reset(_insert);
                if (step != raw.SQLITE_DONE) Check(step);
            }
            // With synchronous=FULL the commit returns after the WAL is fsynced: only then are the appends completed.
            Execute("COMMIT;");
        }
        catch
        {
            // Nothing of a failed batch may stay; SQLite may already have rolled back (then this fails harmlessly).
            raw.sqlite3_exec(_db, "ROLLBACK;");
            throw;
        }
        finally
        {
            raw.sqlite3_clear_bindings(_insert); // no message text held by the statement until the next batch
        }
    }

    public void Dispose()
    {
        _insert.Dispose();
        _connection.Dispose();
    }

    private void Execute(string sql) => Check(raw.sqlite3_exec(_db, sql));

    private void Check(int result)
    {
        if (result != raw.SQLITE_OK) SqliteException.ThrowExceptionForRC(result, _db);
    }
}
