using System.Net;
using FastRealtime.Core.Connections;

namespace FastRealtime.Benchmarks.Connections;

/// <summary>
/// A <see cref="Connection"/> with no socket: every send completes at once and only counts its bytes, and the writer
/// runs when the benchmark says so (<see cref="Drain"/>) instead of on the thread pool. What remains is the product's
/// own outbound path: the lock-free push, the single writer's take-and-reverse, the gather copy, the node and
/// shared-buffer releases, the byte accounting.
/// </summary>
internal sealed class InMemoryConnection(ConnectionContext context) : Connection(context)
{
    private static readonly ValueTask<SocketOperationResult> s_sent = new(default(SocketOperationResult));

    /// <summary>Bytes "written to the socket" so far.</summary>
    public long BytesWritten { get; private set; }

    /// <summary>Writes returned so far (a gathered write counts once).</summary>
    public long Writes { get; private set; }

    public override IPEndPoint? RemoteEndPoint => null;

    /// <summary>Runs the writer on this thread; it returns once the queue is empty (every send completes synchronously).</summary>
    public void Drain() => RunWriter();

    // The first Send after an empty queue schedules the writer; here it waits for Drain().
    private protected override void ScheduleWriter() { }

    private protected override ValueTask<SocketOperationResult> SendCoreAsync(ReadOnlyMemory<byte> data)
    {
        BytesWritten += data.Length;
        Writes++;
        return s_sent;
    }

    private protected override void StartReceiving() { }
    private protected override void KickReceivingCore() { }
    private protected override void ShutdownSendCore() { }
    private protected override void CloseCore() { }
}
