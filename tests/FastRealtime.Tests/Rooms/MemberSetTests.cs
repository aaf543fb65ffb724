using FastRealtime.Core.Rooms;

namespace FastRealtime.Tests.Rooms;

/// <summary>The lock-free slot array: what a walker holding an old view may and may not see.</summary>
public class MemberSetTests
{
    private static MemberSet With(params FakeMember[] members)
    {
        var set = new MemberSet();
        foreach (var member in members) set.Add(member);
        return set;
    }

    [Fact]
    public void Add_PastCapacity_KeepsEveryMemberInOrder()
    {
        var members = FakeMember.Many(100);

        var set = With(members);

        Assert.Equal(100, set.Count);
        Assert.Equal(members, set.Snapshot.ToArray());
    }

    [Fact]
    public void Remove_Absent_ReturnsFalse()
    {
        var set = With(FakeMember.Many(3));

        Assert.False(set.Remove(new FakeMember(99)));
        Assert.Equal(3, set.Count);
    }

    [Fact]
    public void Remove_ManyMembers_CompactsAndKeepsTheRest()
    {
        var members = FakeMember.Many(100);
        var set = With(members);

        for (int i = 0; i < 100; i += 3) set.Remove(members[i]);

        var expected = members.Where((_, i) => i % 3 != 0).ToArray();
        Assert.Equal(expected, set.Snapshot.ToArray());
        Assert.Equal(expected.Length, set.Count);
        // Compaction bounds the walk: tombstones never outnumber half the live members (plus a small slack).
        int used = set.Slots.TakeWhile(slot => slot is not null).Count();
        Assert.True(used - set.Count <= Math.Max(8, set.Count / 2), $"used {used}, live {set.Count}");
    }

    [Fact]
    public void Remove_StaleSlotHintsAfterCompaction_RemovesExactlyTheGivenMember()
    {
        var members = FakeMember.Many(40);
        var set = new MemberSet();
        var hints = members.Select(set.Add).ToArray();

        for (int i = 0; i < 30; i++) Assert.True(set.Remove(members[i], hints[i]));
        // Compaction moved the survivors; their hints now point at other members or past the end.
        Assert.True(set.Remove(members[35], hints[35]));
        Assert.True(set.Remove(members[30], hints[30]));

        Assert.Equal([members[31], members[32], members[33], members[34], .. members[36..]], set.Snapshot.ToArray());
        Assert.False(set.Remove(members[30], hints[30]));
    }

    [Fact]
    public void Remove_Last_LeavesEmptySetThatAcceptsMembersAgain()
    {
        var member = new FakeMember(1);
        var set = With(member);

        Assert.True(set.Remove(member));
        Assert.Equal(0, set.Count);
        Assert.True(set.Snapshot.IsEmpty);

        set.Add(member);
        Assert.Equal([member], set.Snapshot.ToArray());
    }

    [Fact]
    public void Walk_MemberSeenThenLeavesAndRejoins_IsNotSeenAgain()
    {
        var members = FakeMember.Many(3);
        var set = With(members);
        var walk = set.Snapshot.GetEnumerator();
        Assert.True(walk.MoveNext());
        Assert.Same(members[0], walk.Current);

        // Mid-walk: the member already reached leaves and joins again (capacity 4 would fit it in place).
        set.Remove(members[0]);
        set.Add(members[0]);

        var rest = new List<IRoomMember>();
        while (walk.MoveNext()) rest.Add(walk.Current);
        Assert.Equal([members[1], members[2]], rest);
        Assert.Equal(1, set.Snapshot.ToArray().Count(m => ReferenceEquals(m, members[0])));
    }

    [Fact]
    public void Rejoin_AfterLeave_RefillsItsOwnSlotWithoutCopying()
    {
        var members = FakeMember.Many(10);
        var set = With(members);
        var before = set.Slots;

        set.Remove(members[4]);
        set.Add(members[4]);

        Assert.Same(before, set.Slots);
        Assert.Same(members[4], before[4]);
        Assert.Equal(members, set.Snapshot.ToArray());
    }

    [Fact]
    public void OldView_NewMemberAppendedInPlace_MaySeeItButNeverTwice()
    {
        var members = FakeMember.Many(2);
        var set = With(members);
        var view = set.Snapshot;
        var late = new FakeMember(10);

        set.Add(late);

        // Capacity 4 holds the third member in place, so this view shares the array and sees it once.
        Assert.Equal([members[0], members[1], late], view.ToArray());
    }

    [Fact]
    public void OldView_MemberLeaves_StillSeesTheOthersExactlyOnce()
    {
        var members = FakeMember.Many(50);
        var set = With(members);
        var view = set.Snapshot;

        for (int i = 0; i < 40; i++) set.Remove(members[i]);

        var seen = view.ToArray();
        Assert.Equal(members[40..], seen.Where(m => Array.IndexOf(members, m) >= 40));
        Assert.Equal(seen.Length, seen.Distinct().Count());
    }

    [Fact]
    public void Snapshot_Default_IsEmpty()
    {
        Assert.True(MemberSnapshot.Empty.IsEmpty);
        Assert.Equal(0, MemberSnapshot.Empty.CountMembers());
        Assert.Empty(MemberSnapshot.Empty.ToArray());
    }

    [Fact]
    public void Snapshot_SkipsTombstones()
    {
        var members = FakeMember.Many(4);
        var set = With(members);

        set.Remove(members[1]);

        Assert.Equal(3, set.Snapshot.CountMembers());
        Assert.False(set.Snapshot.Contains(members[1]));
        Assert.True(set.Snapshot.Contains(members[2]));
    }
}
