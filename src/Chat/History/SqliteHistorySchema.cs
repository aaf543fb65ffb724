using Microsoft.Data.Sqlite;

namespace FastRealtime.Chat.History;

/// <summary>
/// The history database's schema, versioned by <c>PRAGMA user_version</c>: migration i takes the file from version i to
/// i + 1, each in its own write transaction, so an interrupted start-up resumes where it stopped and two processes opening
/// the same file do not both migrate it.
/// </summary>
internal static class SqliteHistorySchema
{
    // Append only: a released migration never changes, a new schema is a new entry.
    private static readonly string[] Migrations =
    [
        // 1: the messages, and the index that reads and pages one room's history newest first by id.
        // sent_at: Unix time in microseconds (UTC), the precision PostgreSQL's timestamptz keeps too.
        """
        CREATE TABLE messages (
            id        TEXT    NOT NULL PRIMARY KEY,
            room_id   TEXT    NOT NULL,
            user_id   TEXT    NOT NULL,
            user_name TEXT    NOT NULL,
            text      TEXT    NOT NULL,
            sent_at   INTEGER NOT NULL
        );
        CREATE INDEX messages_room_id_id ON messages (room_id, id);
        """,
    ];

    /// <summary>The version this code writes.</summary>
    public static int CurrentVersion => Migrations.Length;

    /// <summary>Brings the open database up to <see cref="CurrentVersion"/>; returns the version it found.</summary>
    public static int Migrate(SqliteConnection connection)
    {
        int found = -1;
        while (true)
        {
            using SqliteTransaction transaction = connection.BeginTransaction(deferred: false);
            int version = ReadVersion(connection, transaction);
            if (found < 0) found = version;
            if (version > CurrentVersion)
            {
                throw new InvalidOperationException(
                    $"The history database has schema version {version}, newer than this server's {CurrentVersion}; upgrade the server.");
            }
            if (version == CurrentVersion) return found;

            using SqliteCommand command = connection.CreateCommand();
            command.Transaction = transaction;
            // user_version lives in the file header, which is written by the same transaction as the migration.
            command.CommandText = Migrations[version] + $"\nPRAGMA user_version = {version + 1};";
            command.ExecuteNonQuery();
            transaction.Commit();
        }
    }

    public static int ReadVersion(SqliteConnection connection, SqliteTransaction? transaction = null)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "PRAGMA user_version;";
        return Convert.ToInt32(command.ExecuteScalar());
    }
}
