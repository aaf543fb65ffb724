namespace FastRealtime.Chat.History;

/// <summary>How a <see cref="ChatMessage"/> maps onto the SQLite messages row (see <see cref="SqliteHistorySchema"/>).</summary>
internal static class SqliteMessageColumns
{
    private const long TicksPerMicrosecond = TimeSpan.TicksPerMillisecond / 1000;

    /// <summary>UTC microseconds since 1970 (sub-microsecond ticks are dropped, as in PostgreSQL).</summary>
    public static long ToUnixMicroseconds(DateTimeOffset value) =>
        Math.DivRem(value.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks, TicksPerMicrosecond, out long rest) - (rest < 0 ? 1 : 0);

    public static DateTimeOffset FromUnixMicroseconds(long microseconds) =>
        DateTimeOffset.UnixEpoch.AddTicks(microseconds * TicksPerMicrosecond);
}
