using System.Diagnostics.Metrics;
using FastRealtime.Chat.History;
using Microsoft.Extensions.Logging.Abstractions;

namespace FastRealtime.Tests.History;

public sealed class GroupCommitWriterTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task WriteAsync_CommitRunning_CompletesOnlyAfterItsCommit()
    {
        var committer = new GatedCommitter();
        await using var writer = NewWriter(committer);

        Task first = await WriteHeldInCommitAsync(writer, committer, 1);

        Assert.False(first.IsCompleted);
        committer.Release();
        await first.WaitAsync(Bound);
        Assert.Equal([[1]], committer.Batches);
    }

    [Fact]
    public async Task WriteAsync_WhileACommitRuns_QueuedItemsShareTheNextTransaction()
    {
        var committer = new GatedCommitter();
        await using var writer = NewWriter(committer, maxBatch: 10);

        Task first = await WriteHeldInCommitAsync(writer, committer, 0);
        Task[] queued = Enumerable.Range(1, 25).Select(i => writer.WriteAsync(i).AsTask()).ToArray();
        committer.Release(all: true);
        await Task.WhenAll(queued.Append(first)).WaitAsync(Bound);

        // One transaction for the first item, then the 25 queued ones in batches of at most 10, in order.
        Assert.Equal([[0], [.. Enumerable.Range(1, 10)], [.. Enumerable.Range(11, 10)], [.. Enumerable.Range(21, 5)]],
            committer.Batches);
    }

    [Fact]
    public async Task WriteAsync_CommitThrows_FailsThatBatchOnlyAndTheWriterGoesOn()
    {
        var committer = new GatedCommitter { FailWhen = batch => batch.Contains(-1) };
        committer.Release(all: true);
        await using var writer = NewWriter(committer);

        var failure = await Assert.ThrowsAsync<ChatHistoryCommitException>(() => writer.WriteAsync(-1).AsTask().WaitAsync(Bound));
        await writer.WriteAsync(2).AsTask().WaitAsync(Bound);

        Assert.Equal("no disk", failure.InnerException!.Message);
        Assert.Equal(1, failure.BatchSize);
        Assert.Equal([[-1], [2]], committer.Batches);
        Assert.Equal(0, writer.Pending);
    }

    [Fact]
    public async Task WriteAsync_MaxPendingWaiting_RefusedAtOnceAndAcceptedAgainAfterCommit()
    {
        var committer = new GatedCommitter();
        await using var writer = NewWriter(committer, maxPending: 3);

        Task first = await WriteHeldInCommitAsync(writer, committer, 1);
        Task[] queued = [writer.WriteAsync(2).AsTask(), writer.WriteAsync(3).AsTask()];
        ValueTask refused = writer.WriteAsync(4);

        Assert.True(refused.IsFaulted); // synchronously: nothing was queued
        var overload = await Assert.ThrowsAsync<ChatHistoryOverloadedException>(() => refused.AsTask());
        Assert.Equal(3, overload.MaxPending);
        Assert.Equal(3, writer.Pending);

        committer.Release(all: true);
        await Task.WhenAll(queued.Append(first)).WaitAsync(Bound);
        await writer.WriteAsync(5).AsTask().WaitAsync(Bound);
        Assert.Equal([1, 2, 3, 5], committer.Batches.SelectMany(b => b));
    }

    [Fact]
    public async Task DisposeAsync_ItemsQueued_CommitsThemAllBeforeItCompletes()
    {
        var committer = new GatedCommitter();
        var writer = NewWriter(committer);
        Task first = await WriteHeldInCommitAsync(writer, committer, 0);
        Task[] queued = Enumerable.Range(1, 5).Select(i => writer.WriteAsync(i).AsTask()).ToArray();

        Task disposed = writer.DisposeAsync().AsTask();
        Assert.False(disposed.IsCompleted); // the writer is still held inside the first commit
        await Assert.ThrowsAsync<ObjectDisposedException>(() => writer.WriteAsync(9).AsTask());
        committer.Release(all: true);
        await disposed.WaitAsync(Bound);

        Assert.All(queued.Append(first), t => Assert.True(t.IsCompletedSuccessfully));
        Assert.Equal([0, 1, 2, 3, 4, 5], committer.Batches.SelectMany(b => b));
    }

    [Fact]
    public async Task WriteAsync_CancelledBeforeQueued_NotWritten()
    {
        var committer = new GatedCommitter();
        committer.Release(all: true);
        await using var writer = NewWriter(committer);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => writer.WriteAsync(1, new CancellationToken(true)).AsTask());
        await writer.WriteAsync(2).AsTask().WaitAsync(Bound);
        Assert.Equal([[2]], committer.Batches);
    }

    [Fact]
    public async Task WriteAsync_Committed_AppenderResumesOffTheWriterThread()
    {
        var committer = new GatedCommitter();
        committer.Release(all: true);
        await using var writer = NewWriter(committer);

        await writer.WriteAsync(1).AsTask().WaitAsync(Bound);
        int resumedOn = Environment.CurrentManagedThreadId;

        Assert.NotEqual(committer.ThreadId, resumedOn);
    }

    [Fact]
    public async Task Metrics_Batches_RecordSizeStoredAndPending()
    {
        using var meter = new Meter("test.group-commit." + Guid.NewGuid());
        var measured = new List<(string Name, double Value, object? Store)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) => { if (instrument.Meter == meter) l.EnableMeasurementEvents(instrument); };
        listener.SetMeasurementEventCallback<int>((i, v, tags, _) => { lock (measured) measured.Add((i.Name, v, StoreTag(i))); });
        listener.SetMeasurementEventCallback<long>((i, v, tags, _) => { lock (measured) measured.Add((i.Name, v, StoreTag(i))); });
        listener.SetMeasurementEventCallback<double>((i, v, tags, _) => { lock (measured) measured.Add((i.Name, v, StoreTag(i))); });
        listener.Start();

        var committer = new GatedCommitter();
        await using var writer = new GroupCommitWriter<int>(committer, 100, 100, NullLogger.Instance, meter, "unit");
        Task first = await WriteHeldInCommitAsync(writer, committer, 0);
        Task[] queued = Enumerable.Range(1, 4).Select(i => writer.WriteAsync(i).AsTask()).ToArray();
        listener.RecordObservableInstruments(); // pending while held: 5
        committer.Release(all: true);
        await Task.WhenAll(queued.Append(first)).WaitAsync(Bound);

        List<(string Name, double Value, object? Store)> seen;
        lock (measured) seen = [.. measured];
        Assert.All(seen, m => Assert.Equal("unit", m.Store));
        Assert.Equal([1.0, 4.0], seen.Where(m => m.Name == "fastrealtime.chat.history.batch.size").Select(m => m.Value));
        Assert.Equal(5.0, seen.Where(m => m.Name == "fastrealtime.chat.history.messages.stored").Sum(m => m.Value));
        Assert.Equal(2, seen.Count(m => m.Name == "fastrealtime.chat.history.commit.duration" && m.Value >= 0));
        Assert.Equal([5.0], seen.Where(m => m.Name == "fastrealtime.chat.history.pending").Select(m => m.Value));
    }

    // Writes the first item and returns once the writer is inside its commit, held there until the committer is released.
    private static async Task<Task> WriteHeldInCommitAsync(GroupCommitWriter<int> writer, GatedCommitter committer, int item)
    {
        Task written = writer.WriteAsync(item).AsTask();
        await committer.Entered.WaitAsync(Bound);
        return written;
    }

    private static object? StoreTag(Instrument instrument) => instrument.Tags?.Single(t => t.Key == "store").Value;

    private static GroupCommitWriter<int> NewWriter(GatedCommitter committer, int maxPending = 1_000, int maxBatch = 100) =>
        new(committer, maxPending, maxBatch, NullLogger.Instance);

    /// <summary>Records batches; each commit waits for a release (or all do once released for good).</summary>
    private sealed class GatedCommitter : IBatchCommitter<int>
    {
        private readonly SemaphoreSlim _gate = new(0);
        private readonly TaskCompletionSource _entered = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private volatile bool _open;
        private readonly List<int[]> _batches = [];

        public Func<int[], bool> FailWhen { get; init; } = _ => false;

        public Task Entered => _entered.Task;

        public int ThreadId { get; private set; }

        public int[][] Batches { get { lock (_batches) return [.. _batches]; } }

        public void Release(bool all = false)
        {
            if (all) _open = true;
            _gate.Release();
        }

        public void CommitBatch(ReadOnlySpan<int> batch)
        {
            ThreadId = Environment.CurrentManagedThreadId;
            int[] items = batch.ToArray();
            _entered.TrySetResult();
            if (!_open && !_gate.Wait(Bound)) throw new TimeoutException("test gate never released");
            lock (_batches) _batches.Add(items);
            if (FailWhen(items)) throw new IOException("no disk");
        }
    }
}
