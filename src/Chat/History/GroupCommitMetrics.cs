using System.Diagnostics.Metrics;

namespace FastRealtime.Chat.History;

/// <summary>
/// The history store's instruments, tagged <c>store</c> = sqlite/postgres. Created only when a <see cref="Meter"/> is
/// given; recording then costs a few interlocked adds per batch, never per waiting appender.
/// </summary>
internal sealed class GroupCommitMetrics
{
    private const string Prefix = "fastrealtime.chat.history.";

    private readonly Histogram<double> _commitDuration;
    private readonly Histogram<int> _batchSize;
    private readonly Counter<long> _stored;
    private readonly Counter<long> _failed;
    private readonly Counter<long> _rejected;

    public GroupCommitMetrics(Meter meter, string store, Func<int> pending)
    {
        KeyValuePair<string, object?>[] tags = [new("store", store)];
        _commitDuration = meter.CreateHistogram<double>(Prefix + "commit.duration", "s",
            "Time to write and commit one batch (one transaction).", tags);
        _batchSize = meter.CreateHistogram<int>(Prefix + "batch.size", "{message}",
            "Messages committed together in one transaction.", tags);
        _stored = meter.CreateCounter<long>(Prefix + "messages.stored", "{message}",
            "Messages durably committed.", tags);
        _failed = meter.CreateCounter<long>(Prefix + "messages.failed", "{message}",
            "Messages whose transaction failed.", tags);
        _rejected = meter.CreateCounter<long>(Prefix + "messages.rejected", "{message}",
            "Appends refused because the write queue was full.", tags);
        meter.CreateObservableGauge(Prefix + "pending", pending, "{message}",
            "Messages accepted but not yet committed (queued or in the running transaction).", tags);
    }

    public void BatchCommitted(int size, double seconds)
    {
        _commitDuration.Record(seconds);
        _batchSize.Record(size);
        _stored.Add(size);
    }

    public void BatchFailed(int size, double seconds)
    {
        _commitDuration.Record(seconds);
        _failed.Add(size);
    }

    public void Rejected() => _rejected.Add(1);
}
