using System.Collections.Concurrent;
using FastRealtime.Core.Rooms;

namespace FastRealtime.Tests.Rooms;

/// <summary>Joins, leaves, disconnects and broadcasts racing on many threads; final state asserted exactly.</summary>
public class RoomConcurrencyTests
{
    private static readonly ParallelOptions s_parallel = new() { MaxDegreeOfParallelism = Math.Max(4, Environment.ProcessorCount) };
    private readonly RoomRegistry _registry = new();

    [Fact]
    public void JoinLeave_TenThousandCyclesOnManyThreads_LeavesNoRoomAndNoMembership()
    {
        var members = FakeMember.Many(64);
        string[] rooms = ["r0", "r1", "r2", "r3", "r4", "r5", "r6", "r7"];

        Parallel.For(0, 10_000, s_parallel, i =>
        {
            var member = members[i % members.Length];
            var room = rooms[i % rooms.Length];
            var other = rooms[(i / 7) % rooms.Length];
            _registry.Join(member, room);
            _registry.Join(member, other);
            _registry.Leave(member, room);
            _registry.Leave(member, other);
        });

        Assert.Equal(0, _registry.RoomCount);
        foreach (var member in members) Assert.Equal(0, member.Rooms.Count);
        foreach (var room in rooms) Assert.True(_registry.GetMembers(room).IsEmpty);
    }

    [Fact]
    public void ConnectJoinDisconnect_TenThousandMembersOnManyThreads_FinalStateExact()
    {
        string[] rooms = ["a", "b", "c", "d", "e"];
        var kept = new ConcurrentBag<FakeMember>();

        Parallel.For(0, 10_000, s_parallel, i =>
        {
            var member = new FakeMember(i);
            _registry.AddMember(member);
            _registry.Join(member, rooms[i % 5]);
            _registry.Join(member, rooms[(i + 1) % 5]);
            if (i % 4 == 0) kept.Add(member);
            else _registry.RemoveMember(member);
        });

        Assert.Equal(2_500, _registry.EveryoneCount);
        Assert.Equal(kept.OrderBy(m => m.MemberId), _registry.Everyone.ToArray().Cast<FakeMember>().OrderBy(m => m.MemberId));
        for (int r = 0; r < 5; r++)
        {
            var expected = kept.Where(m => m.MemberId % 5 == r || (m.MemberId + 1) % 5 == r).OrderBy(m => m.MemberId);
            Assert.Equal(expected, _registry.GetMembers(rooms[r]).ToArray().Cast<FakeMember>().OrderBy(m => m.MemberId));
            Assert.Equal(expected.Count(), _registry.MemberCount(rooms[r]));
        }

        Parallel.ForEach(kept, s_parallel, member => _registry.RemoveMember(member));
        Assert.Equal(0, _registry.RoomCount);
        Assert.Equal(0, _registry.EveryoneCount);
    }

    [Fact]
    public void JoinLeave_OneRoomEmptiedAndRefilledConcurrently_FinalMembershipExact()
    {
        var members = FakeMember.Many(32);

        Parallel.For(0, members.Length, s_parallel, t =>
        {
            var member = members[t];
            for (int k = 0; k < 1_000; k++)
            {
                Assert.Equal(RoomJoinResult.Joined, _registry.Join(member, "hot"));
                Assert.True(_registry.Leave(member, "hot"));
            }
            if (t % 2 == 0) Assert.Equal(RoomJoinResult.Joined, _registry.Join(member, "hot"));
        });

        var expected = members.Where((_, t) => t % 2 == 0).OrderBy(m => m.MemberId);
        Assert.Equal(expected, _registry.GetMembers("hot").ToArray().Cast<FakeMember>().OrderBy(m => m.MemberId));
        Assert.Equal(16, _registry.MemberCount("hot"));
        Assert.Equal(1, _registry.RoomCount);
        foreach (var member in expected) Assert.Equal(["hot"], member.Rooms.GetRoomNames());
    }

    [Fact]
    public void JoinRacingDisconnect_NeverLeaksMembership()
    {
        var members = FakeMember.Many(2_000);

        Parallel.For(0, members.Length * 2, s_parallel, i =>
        {
            var member = members[i / 2];
            if (i % 2 == 0) _registry.Join(member, "race");
            else _registry.RemoveMember(member);
        });

        // Whichever ran first, a removed member is in no room afterwards.
        Assert.Equal(0, _registry.RoomCount);
        Assert.All(members, m => Assert.Equal(0, m.Rooms.Count));
    }

    [Fact]
    public async Task Broadcast_WhileMembersJoinAndLeave_StableMembersGetEachMessageOnceAndNobodyTwice()
    {
        var stable = FakeMember.Many(100, 1);
        var churning = FakeMember.Many(100, 1_000);
        foreach (var member in stable)
        {
            _registry.Join(member, "a");
            _registry.Join(member, "b");
        }
        using var stop = new CancellationTokenSource();
        var churn = Enumerable.Range(0, 2).Select(t => Task.Run(() =>
        {
            int k = 0;
            while (!stop.IsCancellationRequested)
            {
                var member = churning[(k++ * 2 + t) % churning.Length];
                _registry.Join(member, "a");
                _registry.Join(member, "b");
                _registry.Leave(member, k % 2 == 0 ? "a" : "b");
                _registry.LeaveAll(member);
            }
        })).ToArray();

        const int Messages = 500;
        var log = new EncodeLog();
        try
        {
            for (int i = 0; i < Messages; i++)
            {
                var target = i % 2 == 0 ? BroadcastTarget.ToRoom("a") : BroadcastTarget.ToRooms(["a", "b"]);
                _registry.Broadcast(target, new TextEncoder(i.ToString(), log));
            }
        }
        finally
        {
            stop.Cancel();
            await Task.WhenAll(churn);
        }

        var expected = Enumerable.Range(0, Messages).Select(i => $"0|{i}").ToArray();
        foreach (var member in stable) Assert.Equal(expected, member.Texts());
        foreach (var member in churning)
        {
            var texts = member.Texts();
            Assert.Equal(texts.Length, texts.Distinct().Count());
        }
        foreach (var member in stable.Concat(churning)) member.ReleaseFrames();
    }

    [Fact]
    public void Broadcast_FromManyThreadsAtOnce_EveryMemberGetsEveryMessageOnce()
    {
        var members = FakeMember.Many(200);
        foreach (var member in members) _registry.Join(member, "a");
        foreach (var member in members.Take(100)) _registry.Join(member, "b");

        Parallel.For(0, 400, s_parallel, i =>
            _registry.Broadcast(BroadcastTarget.ToRooms(["a", "b"]), new TextEncoder(i.ToString(), new EncodeLog())));

        foreach (var member in members)
        {
            Assert.Equal(400, member.FrameCount);
            Assert.Equal(400, member.Texts().Distinct().Count());
            member.ReleaseFrames();
        }
    }

    [Fact]
    public void UserAddRemove_ManyThreadsPerUser_OneFirstAndOneLastPerOnlinePeriod()
    {
        var users = new UserRegistry();
        string[] ids = ["u0", "u1", "u2", "u3"];
        var firsts = new int[ids.Length];
        var lasts = new int[ids.Length];
        var online = new int[ids.Length];
        var sockets = FakeMember.Many(64);

        Parallel.For(0, sockets.Length, s_parallel, s =>
        {
            int u = s % ids.Length;
            for (int k = 0; k < 1_000; k++)
            {
                if (users.Add(ids[u], sockets[s])) Interlocked.Increment(ref firsts[u]);
                if (users.Remove(ids[u], sockets[s])) Interlocked.Increment(ref lasts[u]);
            }
            // Sockets 0..3 stay: their users end online with exactly one socket each.
            if (s < ids.Length && users.Add(ids[u], sockets[s])) Interlocked.Increment(ref online[u]);
        });

        for (int u = 0; u < ids.Length; u++)
        {
            Assert.True(users.IsOnline(ids[u]));
            Assert.Equal(1, users.SocketCount(ids[u]));
            Assert.Equal([sockets[u]], users.SocketsOf(ids[u]).ToArray());
            // Every online period opened with exactly one "first" and all but the current one closed with one "last".
            Assert.Equal(firsts[u] + online[u] - 1, lasts[u]);
            Assert.True(firsts[u] >= 1);
        }
        Assert.Equal(ids.Length, users.UserCount);
    }
}
