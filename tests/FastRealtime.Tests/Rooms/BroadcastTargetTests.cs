using FastRealtime.Core.Connections;
using FastRealtime.Core.Rooms;

namespace FastRealtime.Tests.Rooms;

/// <summary>Every emission pattern of seed 001: who receives, exactly once, and what the result counts.</summary>
public class BroadcastTargetTests
{
    private readonly RoomRegistry _registry = new();
    private readonly EncodeLog _log = new();

    private BroadcastResult Send(scoped in BroadcastTarget target, string text = "hi", bool isVolatile = false) =>
        _registry.Broadcast(in target, new TextEncoder(text, _log), isVolatile);

    private static void AssertReceivedOnce(IEnumerable<FakeMember> members, string text = "0|hi")
    {
        foreach (var member in members) Assert.Equal([text], member.Texts());
    }

    private static void AssertReceivedNothing(IEnumerable<FakeMember> members)
    {
        foreach (var member in members) Assert.Equal(0, member.FrameCount);
    }

    [Fact]
    public void Broadcast_ToRoom_ReachesEveryMemberOnceAndNobodyElse()
    {
        var inRoom = _registry.JoinNew("a", 5, 1);
        var outside = _registry.JoinNew("b", 3, 100);

        var result = Send(BroadcastTarget.ToRoom("a"));

        AssertReceivedOnce(inRoom);
        AssertReceivedNothing(outside);
        Assert.Equal(5, result.Queued);
        Assert.Equal(5, result.Recipients);
    }

    [Fact]
    public void Broadcast_ToRoomExceptSender_SkipsOnlySender()
    {
        var members = _registry.JoinNew("a", 4, 1);

        var result = Send(BroadcastTarget.ToRoom("a").Except(members[2]));

        AssertReceivedNothing([members[2]]);
        AssertReceivedOnce(members.Where((_, i) => i != 2));
        Assert.Equal(3, result.Queued);
    }

    [Fact]
    public void Broadcast_ToRoomIncludingSender_ReachesSenderToo()
    {
        var members = _registry.JoinNew("a", 4, 1);

        var result = Send(BroadcastTarget.ToRoom("a").Except(null));

        AssertReceivedOnce(members);
        Assert.Equal(4, result.Queued);
    }

    [Fact]
    public void Broadcast_ToSeveralRoomsOverlapping_ReachesEachRecipientOnce()
    {
        var onlyA = _registry.JoinNew("a", 3, 1);
        var onlyB = _registry.JoinNew("b", 2, 10);
        var both = FakeMember.Many(4, 20);
        foreach (var member in both)
        {
            _registry.Join(member, "a");
            _registry.Join(member, "b");
            _registry.Join(member, "c");
        }

        var result = Send(BroadcastTarget.ToRooms(["a", "b", "c", "a", "missing"]));

        AssertReceivedOnce(onlyA.Concat(onlyB).Concat(both));
        Assert.Equal(9, result.Queued);
    }

    [Fact]
    public void Broadcast_ToSeveralRoomsExceptSender_SkipsSenderInEveryRoom()
    {
        var sender = new FakeMember(1);
        _registry.Join(sender, "a");
        _registry.Join(sender, "b");
        var others = _registry.JoinNew("b", 2, 10);

        var result = Send(BroadcastTarget.ToRooms(["a", "b"]).Except(sender));

        AssertReceivedNothing([sender]);
        AssertReceivedOnce(others);
        Assert.Equal(2, result.Queued);
    }

    [Fact]
    public void Broadcast_ToRoomExceptRoom_SkipsMembersOfTheOtherRoom()
    {
        var members = _registry.JoinNew("a", 6, 1);
        _registry.Join(members[0], "muted");
        _registry.Join(members[3], "muted");
        _registry.JoinNew("muted", 2, 50);

        var result = Send(BroadcastTarget.ToRoom("a").ExceptRooms(["muted"]));

        AssertReceivedNothing([members[0], members[3]]);
        AssertReceivedOnce([members[1], members[2], members[4], members[5]]);
        Assert.Equal(4, result.Queued);
    }

    [Fact]
    public void Broadcast_ToRoomExceptSeveralRoomsAndSender_SkipsAllOfThem()
    {
        var members = _registry.JoinNew("a", 6, 1);
        _registry.Join(members[0], "x");
        _registry.Join(members[1], "y");

        var result = Send(BroadcastTarget.ToRoom("a").Except(members[2]).ExceptRooms(["x", "y", "missing"]));

        AssertReceivedNothing(members.Take(3));
        AssertReceivedOnce(members.Skip(3));
        Assert.Equal(3, result.Queued);
    }

    [Fact]
    public void Broadcast_ToSeveralRoomsExceptRoom_DeduplicatesAndExcludes()
    {
        var a = _registry.JoinNew("a", 3, 1);
        var b = _registry.JoinNew("b", 3, 10);
        _registry.Join(a[0], "b");
        _registry.Join(b[2], "banned");

        var result = Send(BroadcastTarget.ToRooms(["a", "b"]).ExceptRooms(["banned"]));

        AssertReceivedOnce([.. a, b[0], b[1]]);
        AssertReceivedNothing([b[2]]);
        Assert.Equal(5, result.Queued);
    }

    [Fact]
    public void Broadcast_ToOneMember_ReachesOnlyThatMember()
    {
        var members = _registry.JoinNew("a", 3, 1);

        var result = Send(BroadcastTarget.ToMember(members[1]));

        AssertReceivedOnce([members[1]]);
        AssertReceivedNothing([members[0], members[2]]);
        Assert.Equal(1, result.Queued);
    }

    [Fact]
    public void Broadcast_ToOneMemberThatIsExcluded_ReachesNobody()
    {
        var member = new FakeMember(1);
        _registry.Join(member, "muted");

        Assert.Equal(0, Send(BroadcastTarget.ToMember(member).Except(member)).Recipients);
        Assert.Equal(0, Send(BroadcastTarget.ToMember(member).ExceptRooms(["muted"])).Recipients);
        Assert.Equal(0, member.FrameCount);
        Assert.Equal(0, _log.Total);
    }

    [Fact]
    public void Broadcast_ToEveryone_ReachesEveryAddedMemberWhetherInRoomsOrNot()
    {
        var members = FakeMember.Many(5);
        foreach (var member in members) _registry.AddMember(member);
        _registry.Join(members[0], "a");
        var neverAdded = _registry.JoinNew("a", 1, 100);

        var result = Send(BroadcastTarget.ToEveryone());

        AssertReceivedOnce(members);
        AssertReceivedNothing(neverAdded);
        Assert.Equal(5, result.Queued);
    }

    [Fact]
    public void Broadcast_ToEveryoneExceptSenderAndRoom_SkipsThem()
    {
        var members = FakeMember.Many(5);
        foreach (var member in members) _registry.AddMember(member);
        _registry.Join(members[4], "away");

        var result = Send(BroadcastTarget.ToEveryone().Except(members[0]).ExceptRooms(["away"]));

        AssertReceivedNothing([members[0], members[4]]);
        AssertReceivedOnce(members[1..4]);
        Assert.Equal(3, result.Queued);
    }

    [Fact]
    public void Broadcast_ToMembersOfUser_ReachesEverySocketOfTheUser()
    {
        var users = new UserRegistry();
        var tabs = FakeMember.Many(3);
        foreach (var tab in tabs) users.Add("alice", tab);
        var bob = new FakeMember(10);
        users.Add("bob", bob);

        var result = Send(BroadcastTarget.ToMembers(users.SocketsOf("alice")));

        AssertReceivedOnce(tabs);
        AssertReceivedNothing([bob]);
        Assert.Equal(3, result.Queued);
    }

    [Fact]
    public void Broadcast_MissingRoom_ReachesNobodyAndEncodesNothing()
    {
        Assert.Equal(0, Send(BroadcastTarget.ToRoom("missing")).Recipients);
        Assert.Equal(0, Send(BroadcastTarget.ToRooms(["x", "y"])).Recipients);
        Assert.Equal(0, _log.Total);
    }

    [Fact]
    public void Broadcast_VolatileMessage_PassesVolatileFlagToEveryMember()
    {
        var members = _registry.JoinNew("a", 3, 1);

        Send(BroadcastTarget.ToRoom("a"), "typing", isVolatile: true);
        Send(BroadcastTarget.ToRoom("a"), "message", isVolatile: false);

        foreach (var member in members) Assert.Equal([true, false], member.VolatileFlags());
    }

    [Fact]
    public void Broadcast_SlowAndClosedMembers_CountedWhileOthersStillQueue()
    {
        var members = _registry.JoinNew("a", 5, 1);
        members[1].Answer = SendResult.Dropped;
        members[3].Answer = SendResult.Closed;

        var result = Send(BroadcastTarget.ToRoom("a"));

        Assert.Equal(3, result.Queued);
        Assert.Equal(1, result.Dropped);
        Assert.Equal(1, result.Closed);
        Assert.Equal(5, result.Recipients);
        AssertReceivedOnce([members[0], members[2], members[4]]);
    }

    [Fact]
    public void ExceptRooms_GivenTwice_Throws()
    {
        Assert.Throws<InvalidOperationException>(() => BroadcastTarget.ToRoom("a").ExceptRooms(["x"]).ExceptRooms(["y"]));
    }

    [Fact]
    public void Broadcast_MemberSendBroadcastsAgainOnSameThread_BothWalksStayCorrect()
    {
        var a = _registry.JoinNew("a", 3, 1);
        var b = _registry.JoinNew("b", 3, 10);
        var inner = _registry.JoinNew("inner1", 2, 20);
        _registry.Join(inner[0], "inner2");
        bool fired = false;
        a[0].OnSend = _ =>
        {
            if (fired) return;
            fired = true;
            Send(BroadcastTarget.ToRooms(["inner1", "inner2"]), "nested");
        };

        var result = Send(BroadcastTarget.ToRooms(["a", "b"]));

        Assert.Equal(6, result.Queued);
        AssertReceivedOnce([.. a, .. b]);
        AssertReceivedOnce(inner, "0|nested");
    }
}
