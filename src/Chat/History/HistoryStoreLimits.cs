namespace FastRealtime.Chat.History;

/// <summary>The limits every history store enforces (each store's options add where it keeps the data). Safe defaults.</summary>
public abstract class HistoryStoreLimits
{
    /// <summary>Messages that may wait for their commit before appends are refused (bounds memory when storage is slow).</summary>
    public int MaxPendingMessages { get; set; } = 100_000;

    /// <summary>Most messages committed in one transaction.</summary>
    public int MaxBatchSize { get; set; } = 2_000;

    /// <summary>Most messages one read returns; larger limits are clamped to it.</summary>
    public int MaxMessagesPerRead { get; set; } = 1_000;

    /// <summary>The effective row limit of a read asking for <paramref name="limit"/>; throws when it is negative.</summary>
    internal int ClampReadLimit(int limit)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        return Math.Min(limit, MaxMessagesPerRead);
    }
}
