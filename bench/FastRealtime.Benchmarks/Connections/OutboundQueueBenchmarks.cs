using BenchmarkDotNet.Attributes;
using FastRealtime.Core.Buffers;
using FastRealtime.Core.Connections;
using FastRealtime.Core.Metrics;
using FastRealtime.Core.Timing;
using Microsoft.Extensions.Logging.Abstractions;

namespace FastRealtime.Benchmarks.Connections;

/// <summary>
/// A connection's outbound queue, socket-free: <see cref="Connection.Send(SharedBuffer, int, int, bool)"/> of N
/// frames that share one buffer (what a room broadcast enqueues on each member), then one writer pass that gathers
/// them into its coalescing buffer and "writes" them. Per frame: a pooled node, a CAS push, the reverse, the copy,
/// two interlocked reference changes. 64 KiB frames exceed the 16 KiB gather buffer and go out uncopied.
/// </summary>
[MemoryDiagnoser]
public class OutboundQueueBenchmarks
{
    private ServerMetrics _metrics = null!;
    private TimerWheel _timers = null!;
    private InMemoryConnection _connection = null!;
    private SharedBuffer _frame = null!;

    [Params(1, 16, 256)]
    public int FramesPerDrain { get; set; }

    [Params(100, 64 * 1024)]
    public int FrameSize { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _metrics = new ServerMetrics("FastRealtime.Benchmarks.Outbound");
        _timers = new TimerWheel(TimeSpan.FromSeconds(1));
        // The queue bound must hold one drain's worth: the default 4 MiB holds only 64 frames of 64 KiB.
        var options = new ConnectionOptions { MaxOutboundBytes = 64L * 1024 * 1024 };
        _connection = new InMemoryConnection(new ConnectionContext(options, _metrics, _timers, NullLogger.Instance));
        _frame = SharedBuffer.Rent(FrameSize);
        _frame.Span.Fill((byte)'m');
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _frame.Release();
        _timers.Dispose();
        _metrics.Dispose();
    }

    /// <summary>Enqueue every frame, then drain: the writer's cost is shared by the frames it gathers.</summary>
    [Benchmark(OperationsPerInvoke = 256)]
    [ZeroAllocation]
    public long EnqueueThenDrain()
    {
        // OperationsPerInvoke must be a constant: repeat the N-frame batch until 256 frames went through.
        for (int done = 0; done < 256; done += FramesPerDrain)
        {
            for (int i = 0; i < FramesPerDrain; i++) _connection.Send(_frame, 0, FrameSize);
            _connection.Drain();
        }
        return _connection.BytesWritten;
    }
}
