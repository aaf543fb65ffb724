using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;

namespace FastRealtime.Chat.History;

/// <summary>
/// Group commit for a store that must acknowledge a write only once it is durable: appenders queue items and await the
/// commit of the transaction that holds theirs; one writer thread takes everything queued (up to a batch limit), hands
/// it to an <see cref="IBatchCommitter{TItem}"/> as one transaction, and completes all of that batch's appenders at once.
/// While one transaction commits the next batch fills up, so the number of fsyncs per second stays flat however many
/// appenders there are: throughput grows with concurrency instead of being one fsync per message.
/// </summary>
/// <remarks>
/// <para>Thread-safety: <see cref="WriteAsync"/> may be called from any number of threads; commits happen on one
/// dedicated thread, in queue order, one at a time.</para>
/// <para>Memory is bounded: at most <c>maxPending</c> items wait (queued or being committed); past that
/// <see cref="WriteAsync"/> fails at once with <see cref="ChatHistoryOverloadedException"/>.</para>
/// <para>Cancellation is honoured only before an item is queued. Once queued it is committed (or its batch fails) and
/// its appender completes then: a message may not be half acknowledged.</para>
/// <para>Appenders resume on the thread pool, never on the writer thread, so their continuations (acks, broadcasts)
/// do not delay the next commit.</para>
/// </remarks>
public sealed class GroupCommitWriter<TItem> : IAsyncDisposable
{
    private readonly IBatchCommitter<TItem> _committer;
    private readonly int _maxPending;
    private readonly int _maxBatch;
    private readonly ILogger _logger;
    private readonly GroupCommitMetrics? _metrics;
    private readonly Thread _thread;
    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);

    // Guarded by _gate: batches in commit order; the last one (_open) still takes items until it is full or taken.
    private readonly object _gate = new();
    private readonly Queue<Batch> _batches = new();
    private Batch? _open;
    private Batch? _spare;
    private int _pending;
    private bool _closing;
    private bool _overloadLogged;

    /// <param name="committer">Writes one batch as one transaction (on the writer thread).</param>
    /// <param name="maxPending">Items that may wait (queued or in the running transaction) before appends are refused.</param>
    /// <param name="maxBatch">Most items put in one transaction.</param>
    /// <param name="logger">Commit failures and overload are logged here.</param>
    /// <param name="meter">When given, the instruments of <see cref="GroupCommitMetrics"/> are created on it.</param>
    /// <param name="storeName">The <c>store</c> tag of the instruments and the writer thread's name.</param>
    public GroupCommitWriter(IBatchCommitter<TItem> committer, int maxPending, int maxBatch, ILogger logger, Meter? meter = null,
        string storeName = "store")
    {
        ArgumentNullException.ThrowIfNull(committer);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPending, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBatch, 1);
        _committer = committer;
        _maxPending = maxPending;
        _maxBatch = maxBatch;
        _logger = logger;
        _metrics = meter is null ? null : new GroupCommitMetrics(meter, storeName, () => Pending);
        _thread = new Thread(RunWriter) { IsBackground = true, Name = $"{storeName} group commit" };
        _thread.Start();
    }

    /// <summary>Items accepted and not yet committed or failed.</summary>
    public int Pending => Volatile.Read(ref _pending);

    /// <summary>
    /// Queues <paramref name="item"/>; completes when the transaction holding it committed, faults with
    /// <see cref="ChatHistoryCommitException"/> when that transaction failed, with
    /// <see cref="ChatHistoryOverloadedException"/> (nothing queued) when <c>maxPending</c> items already wait, and with
    /// <see cref="ObjectDisposedException"/> once disposal began.
    /// </summary>
    public ValueTask WriteAsync(TItem item, CancellationToken cancellationToken = default)
    {
        if (cancellationToken.IsCancellationRequested) return ValueTask.FromCanceled(cancellationToken);
        Task committed;
        lock (_gate)
        {
            if (_closing) return ValueTask.FromException(new ObjectDisposedException(GetType().Name));
            if (_pending >= _maxPending) return Refuse();
            Batch? batch = _open;
            if (batch is null || batch.Items.Count >= _maxBatch)
            {
                batch = _spare ?? new Batch();
                _spare = null;
                _batches.Enqueue(batch);
                _open = batch;
                if (_batches.Count == 1) Monitor.Pulse(_gate);
            }
            batch.Items.Add(item);
            _pending++;
            committed = batch.Committed.Task;
        }
        return new ValueTask(committed);
    }

    /// <summary>Refuses new items, commits everything already queued, then stops the writer thread. Idempotent.</summary>
    public ValueTask DisposeAsync()
    {
        lock (_gate)
        {
            _closing = true;
            Monitor.Pulse(_gate);
        }
        return new ValueTask(_stopped.Task);
    }

    // Called under _gate.
    private ValueTask Refuse()
    {
        _metrics?.Rejected();
        if (!_overloadLogged)
        {
            _overloadLogged = true;
            _logger.LogWarning("History writes are refused: {Pending} messages are waiting to be committed (the limit)", _pending);
        }
        return ValueTask.FromException(new ChatHistoryOverloadedException(_maxPending));
    }

    private void RunWriter()
    {
        try
        {
            while (TakeBatch() is { } batch)
            {
                Commit(batch);
            }
            _stopped.TrySetResult();
        }
        catch (Exception e)
        {
            // Only a bug gets here (commit failures are caught per batch); fail every waiter rather than leave it hanging.
            _logger.LogCritical(e, "The history writer stopped");
            lock (_gate)
            {
                _closing = true;
                while (_batches.TryDequeue(out Batch? left)) left.Committed.TrySetException(e);
            }
            _stopped.TrySetException(e);
        }
    }

    // Blocks until a batch is queued; null once closing and drained.
    private Batch? TakeBatch()
    {
        lock (_gate)
        {
            while (_batches.Count == 0)
            {
                if (_closing) return null;
                Monitor.Wait(_gate);
            }
            Batch batch = _batches.Dequeue();
            if (ReferenceEquals(batch, _open)) _open = null;
            return batch;
        }
    }

    private void Commit(Batch batch)
    {
        int size = batch.Items.Count;
        long started = Stopwatch.GetTimestamp();
        Exception? failure = null;
        try
        {
            _committer.CommitBatch(CollectionsMarshal.AsSpan(batch.Items));
        }
        catch (Exception e)
        {
            failure = e;
        }
        double seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;

        TaskCompletionSource completion = batch.Committed;
        batch.Recycle();
        lock (_gate)
        {
            _pending -= size;
            if (_pending <= _maxPending / 2) _overloadLogged = false; // one warning per overload episode, not per batch
            _spare = batch;
        }

        if (failure is null)
        {
            _metrics?.BatchCommitted(size, seconds);
            completion.TrySetResult();
        }
        else
        {
            _metrics?.BatchFailed(size, seconds);
            _logger.LogError(failure, "Committing a batch of {Count} history messages failed; their appends fail", size);
            completion.TrySetException(new ChatHistoryCommitException(size, failure));
        }
    }

    /// <summary>Items committed together and the one completion all their appenders await.</summary>
    private sealed class Batch
    {
        public List<TItem> Items { get; } = [];

        public TaskCompletionSource Committed { get; private set; } = NewCompletion();

        // After the commit: the appenders hold the old completion's Task, never the batch, so both can be reused.
        public void Recycle()
        {
            Items.Clear();
            Committed = NewCompletion();
        }

        private static TaskCompletionSource NewCompletion() => new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
