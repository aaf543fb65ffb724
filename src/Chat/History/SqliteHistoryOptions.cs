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

/// <summary>The embedded history store's file and limits. Every limit has a safe default.</summary>
public sealed class SqliteHistoryOptions
{
    /// <summary>Folder of the database file; created when missing (<c>Chat:DataDirectory</c>).</summary>
    public string DataDirectory { get; set; } = "./data";

    /// <summary>The database file inside <see cref="DataDirectory"/>.</summary>
    public string FileName { get; set; } = "history.db";

    /// <summary>Durability of a commit; see <see cref="SqliteSynchronousMode"/>.</summary>
    public SqliteSynchronousMode Synchronous { get; set; } = SqliteSynchronousMode.Full;

    /// <summary>Messages that may wait for their commit before appends are refused (bounds memory when the disk is slow).</summary>
    public int MaxPendingMessages { get; set; } = 100_000;

    /// <summary>Most messages committed in one transaction.</summary>
    public int MaxBatchSize { get; set; } = 2_000;

    /// <summary>Most messages one read returns; larger limits are clamped to it.</summary>
    public int MaxMessagesPerRead { get; set; } = 1_000;

    /// <summary>The WAL file is truncated back to at most this many bytes after a checkpoint (<c>PRAGMA journal_size_limit</c>).</summary>
    public long WalSizeLimitBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>The full path of the database file.</summary>
    public string DatabasePath => Path.GetFullPath(Path.Combine(DataDirectory, FileName));
}
