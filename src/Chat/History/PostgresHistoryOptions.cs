namespace FastRealtime.Chat.History;

/// <summary>The shared history store's server and limits (<c>Chat:Postgres</c> is the connection string).</summary>
public sealed class PostgresHistoryOptions : HistoryStoreLimits
{
    /// <summary>Npgsql connection string; required. Its Search Path, if any, chooses the schema of the table.</summary>
    public string ConnectionString { get; set; } = "";
}
