namespace FastRealtime.Chat.History;

/// <summary>How hard SQLite syncs to disk (<c>PRAGMA synchronous</c>) in WAL mode.</summary>
public enum SqliteSynchronousMode
{
    /// <summary>Every commit fsyncs the WAL: an acknowledged message survives a power cut. The default.</summary>
    Full,

    /// <summary>The WAL is fsynced only at checkpoints: a process crash loses nothing, a power cut may lose the last
    /// commits. Faster on slow disks.</summary>
    Normal,
}

/// <summary>The embedded history store's file, durability and limits. Every limit has a safe default.</summary>
public sealed class SqliteHistoryOptions : HistoryStoreLimits
{
    /// <summary>Folder of the database file; created when missing (<c>Chat:DataDirectory</c>).</summary>
    public string DataDirectory { get; set; } = "./data";

    /// <summary>The database file inside <see cref="DataDirectory"/>.</summary>
    public string FileName { get; set; } = "history.db";

    /// <summary>Durability of a commit; see <see cref="SqliteSynchronousMode"/>.</summary>
    public SqliteSynchronousMode Synchronous { get; set; } = SqliteSynchronousMode.Full;

    /// <summary>How long a commit waits for the write lock when another process writes the same file (<c>busy_timeout</c>);
    /// past it the batch fails.</summary>
    public TimeSpan WriteLockTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The WAL file is truncated back to at most this many bytes after a checkpoint (<c>PRAGMA journal_size_limit</c>).</summary>
    public long WalSizeLimitBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>The full path of the database file.</summary>
    public string DatabasePath => Path.GetFullPath(Path.Combine(DataDirectory, FileName));
}
