// The sink member and encoder are the benchmarks' own (bench/FastRealtime.Benchmarks/Rooms), so the test and the
// benchmark measure the same thing.
using FastRealtime.Benchmarks.Rooms;
using FastRealtime.Core.Rooms;

namespace FastRealtime.Tests.Rooms;

/// <summary>Runs alone: other tests releasing buffers in parallel grow the shared buffer pool, which is not ours to count.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class AllocationCountingCollection
{
    public const string Name = "Allocation counting";
}

/// <summary>The broadcast path allocates nothing per message and nothing per recipient after warm-up.</summary>
[Collection(AllocationCountingCollection.Name)]
public class BroadcastAllocationTests
{
    private const int Members = 1_000;
    private const int Broadcasts = 1_000;

    private readonly RoomRegistry _registry = new();
    private readonly NullSinkMember[] _members;

    public BroadcastAllocationTests()
    {
        _members = Enumerable.Range(0, Members).Select(i => new NullSinkMember(i, i % 2)).ToArray();
        foreach (var member in _members)
        {
            _registry.AddMember(member);
            _registry.Join(member, "a");
            if (member.MemberId % 3 == 0) _registry.Join(member, "b");
            if (member.MemberId % 10 == 0) _registry.Join(member, "muted");
        }
    }

    [Fact]
    public void Broadcast_ToRoomExceptSender_AllocatesNothingAfterWarmUp()
    {
        var sender = _members[0];

        long allocated = Measure(() => _registry.Broadcast(BroadcastTarget.ToRoom("a").Except(sender), new HundredByteEncoder()));

        Assert.Equal(0, allocated);
        Assert.Equal((Members - 1) * (long)(Attempts * Broadcasts + Warmup), _members.Sum(m => m.Received));
    }

    [Fact]
    public void Broadcast_ToSeveralRoomsDeduplicated_AllocatesNothingAfterWarmUp()
    {
        long allocated = Measure(() => _registry.Broadcast(BroadcastTarget.ToRooms(["a", "b"]), new HundredByteEncoder()));

        Assert.Equal(0, allocated);
        Assert.Equal(Members * (long)(Attempts * Broadcasts + Warmup), _members.Sum(m => m.Received));
    }

    [Fact]
    public void Broadcast_ToEveryoneExceptRoom_AllocatesNothingAfterWarmUp()
    {
        long allocated = Measure(() => _registry.Broadcast(BroadcastTarget.ToEveryone().ExceptRooms(["muted"]), new HundredByteEncoder(), isVolatile: true));

        Assert.Equal(0, allocated);
        Assert.Equal(Members * 9 / 10 * (long)(Attempts * Broadcasts + Warmup), _members.Sum(m => m.Received));
    }

    [Fact]
    public void Broadcast_ExceptRoomLargerThanSmallSetLimit_AllocatesNothingAfterWarmUp()
    {
        var registry = new RoomRegistry();
        var members = Enumerable.Range(0, 10_000).Select(i => new NullSinkMember(i, 0)).ToArray();
        foreach (var member in members)
        {
            registry.Join(member, "a");
            if (member.MemberId % 2 == 0) registry.Join(member, "muted");
        }

        long allocated = Measure(() => registry.Broadcast(BroadcastTarget.ToRoom("a").ExceptRooms(["muted"]), new HundredByteEncoder()), broadcasts: 50);

        Assert.Equal(0, allocated);
        Assert.Equal(5_000 * (long)(Attempts * 50 + Warmup), members.Sum(m => m.Received));
    }

    private const int Warmup = 200;
    private const int Attempts = 3;

    /// <summary>
    /// The fewest bytes allocated on this thread by <paramref name="broadcasts"/> broadcasts in up to
    /// <see cref="Attempts"/> tries after a warm-up (every try runs, so the members' counts stay predictable). A pool
    /// growing once (say, the shared buffer pool's queue taking a new segment because a server of an earlier test released
    /// its buffers meanwhile) shows in one try only; an allocation per broadcast or per recipient shows in every one.
    /// </summary>
    private static long Measure(Func<BroadcastResult> broadcast, int broadcasts = Broadcasts)
    {
        for (int i = 0; i < Warmup; i++) broadcast();
        long fewest = long.MaxValue;
        for (int attempt = 0; attempt < Attempts; attempt++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < broadcasts; i++) broadcast();
            fewest = Math.Min(fewest, GC.GetAllocatedBytesForCurrentThread() - before);
        }
        return fewest;
    }
}
