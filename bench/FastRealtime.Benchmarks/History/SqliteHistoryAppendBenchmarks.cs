using BenchmarkDotNet.Attributes;
using FastRealtime.Chat.History;

namespace FastRealtime.Benchmarks.History;

/// <summary>
/// Stored messages per second through <see cref="SqliteChatHistoryStore"/>: <see cref="Appenders"/> concurrent senders,
/// each awaiting its ack (the durable commit) before sending its next message, as chat clients do. One operation is
/// one message, so 1 / Mean is the throughput. The bar: not the bottleneck below 20,000 stored messages/s.
/// </summary>
/// <remarks>
/// Run: <c>dotnet run -c Release --project bench/FastRealtime.Benchmarks -- --filter '*SqliteHistoryAppend*' --job short</c>.
/// The database is in a fresh folder under the temp directory (same disk as the server's data folder here).
/// Recorded 2026-11-22, ShortRun, .NET 10, 2 shared cores at load average 33 (other builds), ext4 on virtio:
/// <code>
/// | Synchronous | Appenders | Mean/message | stored messages/s |
/// | Full        |        64 |     27.5 us  |  ~36,000 |
/// | Full        |     1,024 |     26.5 us  |  ~38,000 |
/// | Normal      |        64 |     18.8 us  |  ~53,000 |
/// | Normal      |     1,024 |      8.3 us  | ~120,000 |
/// </code>
/// About 1 KB allocated per message, counting the benchmark's own message, id, strings and async appender too (not
/// split further). Throughput is bounded by commits (fsyncs) per second times the batch size, which grows with the
/// number of waiting appenders.
/// </remarks>
[MemoryDiagnoser]
public class SqliteHistoryAppendBenchmarks
{
    private const int MessagesPerInvoke = 16_384;

    private string _folder = null!;
    private SqliteChatHistoryStore _store = null!;
    private readonly ChatMessageId _ids = new();
    private static readonly string Text = new('x', 100);

    [Params(SqliteSynchronousMode.Full, SqliteSynchronousMode.Normal)]
    public SqliteSynchronousMode Synchronous { get; set; }

    [Params(64, 1_024)]
    public int Appenders { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _folder = Directory.CreateTempSubdirectory("fr-history-bench-").FullName;
        _store = new SqliteChatHistoryStore(new SqliteHistoryOptions { DataDirectory = _folder, Synchronous = Synchronous });
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _store.DisposeAsync().AsTask().GetAwaiter().GetResult();
        Directory.Delete(_folder, recursive: true);
    }

    [Benchmark(OperationsPerInvoke = MessagesPerInvoke)]
    public Task AppendAcknowledged()
    {
        var senders = new Task[Appenders];
        for (int a = 0; a < senders.Length; a++) senders[a] = SendAsync(a);
        return Task.WhenAll(senders);
    }

    private async Task SendAsync(int appender)
    {
        string room = "room-" + (appender % 16);
        for (int i = 0; i < MessagesPerInvoke / Appenders; i++)
        {
            await _store.AppendAsync(new ChatMessage(_ids.Next(), "user-" + appender, "User", room, Text, DateTimeOffset.UtcNow));
        }
    }
}
