using BenchmarkDotNet.Attributes;
using FastRealtime.Chat.History;

namespace FastRealtime.Benchmarks.History;

/// <summary>
/// <see cref="HistoryAppendBenchmarks"/> on <see cref="SqliteChatHistoryStore"/> in a fresh folder under the temp
/// directory (the same disk as the server's data folder here), with both durability settings.
/// </summary>
/// <remarks>
/// Run: <c>dotnet run -c Release --project bench/FastRealtime.Benchmarks -- --filter '*SqliteHistoryAppend*' --job short</c>.
/// Recorded 2026-11-22, ShortRun, .NET 10, 2 shared cores at load average 16-20 (other helpers' builds), ext4 on
/// virtio, so noisy (errors of the same size as some means); the order of magnitude is what holds:
/// <code>
/// | Synchronous | Appenders | Mean/message | stored messages/s | Allocated/message |
/// | Full        |        64 |     25.9 us  |  ~39,000 | 166 B |
/// | Full        |     1,024 |      6.0 us  | ~165,000 | 172 B |
/// | Normal      |        64 |     19.4 us  |  ~52,000 | 173 B |
/// | Normal      |     1,024 |     12.2 us  |  ~82,000 | 172 B |
/// </code>
/// The allocations are the benchmark's own message and id (about 130 B) and a share of the batch's completion: the
/// insert itself binds through SQLitePCL without allocating (through Microsoft.Data.Sqlite's parameters it was
/// 1,021 B/message). At 64 appenders a batch holds at most 64 messages, so the round trip of a batch (commit, waking
/// 64 appenders on a loaded pool) bounds throughput more than the fsync does; more appenders make bigger batches.
/// </remarks>
[MemoryDiagnoser]
public class SqliteHistoryAppendBenchmarks : HistoryAppendBenchmarks
{
    private string _folder = null!;

    [Params(SqliteSynchronousMode.Full, SqliteSynchronousMode.Normal)]
    public SqliteSynchronousMode Synchronous { get; set; }

    protected override IChatHistoryStore OpenStore()
    {
        _folder = Directory.CreateTempSubdirectory("fr-history-bench-").FullName;
        return new SqliteChatHistoryStore(new SqliteHistoryOptions { DataDirectory = _folder, Synchronous = Synchronous });
    }

    protected override void DeleteStorage() => Directory.Delete(_folder, recursive: true);
}
