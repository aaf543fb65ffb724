using FastRealtime.Chat.History;

namespace FastRealtime.Tests.History;

public sealed class ChatMessageIdTests
{
    private static readonly DateTimeOffset Noon = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Next_ManyCalls_SortOrdinallyInIssueOrder()
    {
        var clock = new ManualClock(Noon);
        var ids = new ChatMessageId(clock);
        string previous = ids.Next();
        for (int i = 0; i < 10_000; i++)
        {
            if (i % 7 == 0) clock.Now = clock.Now.AddMilliseconds(1);
            string next = ids.Next();
            Assert.True(string.CompareOrdinal(previous, next) < 0, $"{previous} !< {next} at {i}");
            previous = next;
        }
    }

    [Fact]
    public void Next_ClockStepsBack_StillIncreases()
    {
        var clock = new ManualClock(Noon);
        var ids = new ChatMessageId(clock);
        string beforeStep = ids.Next();

        clock.Now = Noon.AddHours(-1);
        string afterStep = ids.Next();
        string later = ids.Next();

        Assert.True(string.CompareOrdinal(beforeStep, afterStep) < 0);
        Assert.True(string.CompareOrdinal(afterStep, later) < 0);
        // The clock part stays at the highest time seen instead of following the wall clock back.
        Assert.Equal(Noon, ChatMessageId.GetTimestamp(afterStep));
    }

    [Fact]
    public void Next_MoreIdsInOneMillisecondThanTheCounterHolds_StillIncreases()
    {
        var ids = new ChatMessageId(new ManualClock(Noon));
        string previous = ids.Next();
        for (int i = 0; i < 70_000; i++) // the 16-bit counter overflows once and carries into the millisecond
        {
            string next = ids.Next();
            Assert.True(string.CompareOrdinal(previous, next) < 0, $"{previous} !< {next} at {i}");
            previous = next;
        }
        Assert.Equal(Noon.AddMilliseconds(1), ChatMessageId.GetTimestamp(previous));
    }

    [Fact]
    public void Next_ConcurrentThreads_AllUniqueAndIncreasingPerThread()
    {
        var ids = new ChatMessageId(new ManualClock(Noon)); // one millisecond: every id comes from the counter
        const int threads = 8, perThread = 5_000;
        var issued = new string[threads][];
        Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, t =>
        {
            var mine = new string[perThread];
            for (int i = 0; i < perThread; i++) mine[i] = ids.Next();
            issued[t] = mine;
        });

        Assert.Equal(threads * perThread, issued.SelectMany(x => x).ToHashSet(StringComparer.Ordinal).Count);
        foreach (string[] mine in issued)
        {
            for (int i = 1; i < mine.Length; i++) Assert.True(string.CompareOrdinal(mine[i - 1], mine[i]) < 0);
        }
    }

    [Fact]
    public void Next_LaterMillisecondOnAnotherNode_SortsAfter()
    {
        // A restart or another node has another node part; the time in front still decides the order.
        var clock = new ManualClock(Noon);
        string early = new ChatMessageId(clock, node: (1L << 40) - 1).Next();
        clock.Now = Noon.AddMilliseconds(1);
        string late = new ChatMessageId(clock, node: 0).Next();

        Assert.True(string.CompareOrdinal(early, late) < 0);
    }

    [Fact]
    public void Next_SameClockDifferentNodes_Differ()
    {
        var clock = new ManualClock(Noon);
        Assert.NotEqual(new ChatMessageId(clock).Next(), new ChatMessageId(clock).Next());
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(1_795_000_000_000L)]
    [InlineData(253_402_300_799_999L)] // 9999-12-31T23:59:59.999Z
    public void Next_AnyTime_FixedWidthWellFormedAndTimestampReadBack(long unixMilliseconds)
    {
        DateTimeOffset time = DateTimeOffset.FromUnixTimeMilliseconds(unixMilliseconds);
        string id = new ChatMessageId(new ManualClock(time)).Next();

        Assert.Equal(ChatMessageId.Length, id.Length);
        Assert.Equal(21, id.Length);
        Assert.True(ChatMessageId.IsWellFormed(id));
        Assert.Equal(time, ChatMessageId.GetTimestamp(id));
    }

    [Fact]
    public void Next_ManyIds_AllocatesOnlyTheIdStrings()
    {
        var ids = new ChatMessageId();
        for (int i = 0; i < 1_000; i++) ids.Next(); // warm up (tiering, statics)
        const int count = 10_000;
        // A 21-char string is 64 bytes on 64-bit .NET: 16 header + 4 length + 42 chars + 2 terminator.
        const long stringBytes = 64;

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < count; i++) ids.Next();
        long perId = (GC.GetAllocatedBytesForCurrentThread() - before) / count;

        Assert.Equal(stringBytes, perId);
    }

    [Fact]
    public void New_SharedGenerator_IncreasesAndIsWellFormed()
    {
        string first = ChatMessageId.New(), second = ChatMessageId.New();
        Assert.True(string.CompareOrdinal(first, second) < 0);
        Assert.True(ChatMessageId.IsWellFormed(second));
    }

    [Theory]
    [InlineData("")]
    [InlineData("01KAQ5N3B2000ABCDEFG")]   // 20 characters
    [InlineData("01KAQ5N3B2000ABCDEFGHJ")] // 22 characters
    [InlineData("01KAQ5N3B2000abcdefgh")]  // lower case
    [InlineData("01KAQ5N3B2000ABCDEFGI")]  // I is not in Crockford's alphabet
    [InlineData("01KAQ5N3B2000ABCDEFGU")]  // nor U
    [InlineData("G1KAQ5N3B2000ABCDEFGH")]  // first character above 4 bits: beyond 64 bits
    public void IsWellFormed_NotAnId_False(string text)
    {
        Assert.False(ChatMessageId.IsWellFormed(text));
        Assert.Null(ChatMessageId.GetTimestamp(text));
    }

    private sealed class ManualClock(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
