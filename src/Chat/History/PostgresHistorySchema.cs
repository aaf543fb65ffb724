using Npgsql;

namespace FastRealtime.Chat.History;

/// <summary>
/// The shared store's table, created at start-up when missing. Several nodes may start at once: the DDL runs under a
/// transaction-scoped advisory lock so they do not race on the catalog.
/// </summary>
/// <remarks>
/// <c>id</c> uses the "C" collation: ids must compare byte-wise (ordinal), whatever the database's default collation,
/// or paging by <c>id &lt; $before</c> and the newest-first order would follow the locale. <c>sent_at</c> is timestamptz
/// (microseconds). No migrations yet: a later schema change adds a version table.
/// </remarks>
internal static class PostgresHistorySchema
{
    public const string Table = "chat_messages";

    private const string CreateSql = $"""
        SELECT pg_advisory_xact_lock(5067192148490977281); -- any fixed key, the same on every node: "FRHist" 0001
        CREATE TABLE IF NOT EXISTS {Table} (
            id        text COLLATE "C" NOT NULL PRIMARY KEY,
            room_id   text        NOT NULL,
            user_id   text        NOT NULL,
            user_name text        NOT NULL,
            text      text        NOT NULL,
            sent_at   timestamptz NOT NULL
        );
        CREATE INDEX IF NOT EXISTS {Table}_room_id_id ON {Table} (room_id, id);
        """;

    public static void EnsureCreated(NpgsqlConnection connection)
    {
        using NpgsqlTransaction transaction = connection.BeginTransaction();
        using var command = new NpgsqlCommand(CreateSql, connection, transaction);
        command.ExecuteNonQuery();
        transaction.Commit();
    }
}
