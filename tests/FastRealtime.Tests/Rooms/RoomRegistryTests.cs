using FastRealtime.Core.Rooms;

namespace FastRealtime.Tests.Rooms;

public class RoomRegistryTests
{
    private readonly RoomRegistry _registry = new();

    [Fact]
    public void Join_NewRoom_CreatesRoomWithMember()
    {
        var member = new FakeMember(1);

        Assert.Equal(RoomJoinResult.Joined, _registry.Join(member, "lobby"));

        Assert.True(_registry.RoomExists("lobby"));
        Assert.Equal(1, _registry.RoomCount);
        Assert.Equal(1, _registry.MemberCount("lobby"));
        Assert.Equal([member], _registry.GetMembers("lobby").ToArray());
        Assert.Equal(["lobby"], member.Rooms.GetRoomNames());
    }

    [Fact]
    public void Join_Twice_AnswersAlreadyMemberAndKeepsOneEntry()
    {
        var member = new FakeMember(1);
        _registry.Join(member, "lobby");

        Assert.Equal(RoomJoinResult.AlreadyMember, _registry.Join(member, "lobby"));

        Assert.Equal(1, _registry.MemberCount("lobby"));
        Assert.Equal(1, member.Rooms.Count);
    }

    [Fact]
    public void Join_PastMaxRoomsPerMember_AnswersTooManyRooms()
    {
        var registry = new RoomRegistry(new RoomRegistryOptions { MaxRoomsPerMember = 2 });
        var member = new FakeMember(1);
        registry.Join(member, "a");
        registry.Join(member, "b");

        Assert.Equal(RoomJoinResult.TooManyRooms, registry.Join(member, "c"));

        Assert.False(registry.RoomExists("c"));
        Assert.Equal(2, member.Rooms.Count);
    }

    [Fact]
    public void Constructor_ZeroMaxRoomsPerMember_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new RoomRegistry(new RoomRegistryOptions { MaxRoomsPerMember = 0 }));
    }

    [Fact]
    public void Leave_LastMember_RemovesRoom()
    {
        var first = new FakeMember(1);
        var second = new FakeMember(2);
        _registry.Join(first, "lobby");
        _registry.Join(second, "lobby");

        Assert.True(_registry.Leave(first, "lobby"));
        Assert.True(_registry.RoomExists("lobby"));
        Assert.True(_registry.Leave(second, "lobby"));

        Assert.False(_registry.RoomExists("lobby"));
        Assert.Equal(0, _registry.RoomCount);
        Assert.Equal(0, _registry.MemberCount("lobby"));
        Assert.True(_registry.GetMembers("lobby").IsEmpty);
    }

    [Fact]
    public void Leave_NotAMember_ReturnsFalse()
    {
        var member = new FakeMember(1);
        _registry.Join(new FakeMember(2), "lobby");

        Assert.False(_registry.Leave(member, "lobby"));
        Assert.False(_registry.Leave(member, "nowhere"));
        Assert.Equal(1, _registry.MemberCount("lobby"));
    }

    [Fact]
    public void Join_AfterRoomEmptied_CreatesFreshRoom()
    {
        var member = new FakeMember(1);
        _registry.Join(member, "lobby");
        _registry.Leave(member, "lobby");

        Assert.Equal(RoomJoinResult.Joined, _registry.Join(member, "lobby"));

        Assert.Equal([member], _registry.GetMembers("lobby").ToArray());
    }

    [Fact]
    public void LeaveAll_MemberInThreeRooms_LeavesEveryRoomAndStaysInEveryone()
    {
        var member = new FakeMember(1);
        var other = new FakeMember(2);
        _registry.AddMember(member);
        foreach (var room in new[] { "a", "b", "c" }) _registry.Join(member, room);
        _registry.Join(other, "b");

        Assert.Equal(3, _registry.LeaveAll(member));

        Assert.Equal(0, member.Rooms.Count);
        Assert.Equal(1, _registry.RoomCount);
        Assert.Equal([other], _registry.GetMembers("b").ToArray());
        Assert.Equal(1, _registry.EveryoneCount);
        Assert.Equal(RoomJoinResult.Joined, _registry.Join(member, "a"));
    }

    [Fact]
    public void AddMember_Twice_AddsToEveryoneOnce()
    {
        var member = new FakeMember(1);

        Assert.True(_registry.AddMember(member));
        Assert.False(_registry.AddMember(member));

        Assert.Equal(1, _registry.EveryoneCount);
        Assert.Equal([member], _registry.Everyone.ToArray());
    }

    [Fact]
    public void RemoveMember_Connected_LeavesRoomsAndEveryoneAndRefusesLaterJoins()
    {
        var member = new FakeMember(1);
        _registry.AddMember(member);
        _registry.Join(member, "a");
        _registry.Join(member, "b");

        Assert.True(_registry.RemoveMember(member));

        Assert.Equal(0, _registry.RoomCount);
        Assert.Equal(0, _registry.EveryoneCount);
        Assert.True(member.Rooms.IsRemoved);
        Assert.Equal(RoomJoinResult.MemberRemoved, _registry.Join(member, "a"));
        Assert.False(_registry.AddMember(member));
        Assert.False(_registry.RemoveMember(member));
        Assert.Equal(0, _registry.RoomCount);
    }

    [Fact]
    public void Join_MemberOfAnotherRegistry_Throws()
    {
        var member = new FakeMember(1);
        _registry.Join(member, "a");

        Assert.Throws<InvalidOperationException>(() => new RoomRegistry().Join(member, "a"));
    }

    [Fact]
    public void Membership_Contains_IsOrdinal()
    {
        var member = new FakeMember(1);
        _registry.Join(member, "Lobby");

        Assert.True(member.Rooms.Contains("Lobby"));
        Assert.False(member.Rooms.Contains("lobby"));
        Assert.False(_registry.RoomExists("lobby"));
    }
}
