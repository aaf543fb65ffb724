using BenchmarkDotNet.Attributes;
using FastRealtime.Chat.History;

namespace FastRealtime.Benchmarks.History;

/// <summary>
/// Stored messages per second through a history store: <see cref="Appenders"/> concurrent senders, each awaiting its
/// ack (the durable commit) before sending its next message, as chat clients do. One operation is one message, so
/// 1 / Mean is the throughput. The bar: the store is not the bottleneck below 20,000 stored messages/s.
/// </summary>
public abstract class HistoryAppendBenchmarks
{
    private const int MessagesPerInvoke = 16_384;
    private static readonly string Text = new('x', 100);

    private readonly ChatMessageId _ids = new();
    private IChatHistoryStore _store = null!;

    [Params(64, 1_024)]
    public int Appenders { get; set; }

    [GlobalSetup]
    public void Setup() => _store = OpenStore();

    [GlobalCleanup]
    public void Cleanup()
    {
        _store.DisposeAsync().AsTask().GetAwaiter().GetResult();
        DeleteStorage();
    }

    [Benchmark(OperationsPerInvoke = MessagesPerInvoke)]
    public Task AppendAcknowledged()
    {
        var senders = new Task[Appenders];
        for (int a = 0; a < senders.Length; a++) senders[a] = SendAsync(a);
        return Task.WhenAll(senders);
    }

    /// <summary>A store on fresh, empty storage.</summary>
    protected abstract IChatHistoryStore OpenStore();

    /// <summary>Removes what <see cref="OpenStore"/> created, after the store was disposed.</summary>
    protected abstract void DeleteStorage();

    private async Task SendAsync(int appender)
    {
        string room = "room-" + (appender % 16);
        string user = "user-" + appender;
        for (int i = 0; i < MessagesPerInvoke / Appenders; i++)
        {
            await _store.AppendAsync(new ChatMessage(_ids.Next(), user, "User", room, Text, DateTimeOffset.UtcNow));
        }
    }
}
