using FastRealtime.Chat.ChatApp;

namespace FastRealtime.Tests.ChatBackend;

public sealed class RoomPresenceTests
{
    private static readonly ChatUser Alice = new("u-alice", "Alice");
    private static readonly ChatUser Bob = new("u-bob", "Bob");

    [Fact]
    public void Join_SecondSocketOfSameUser_OnlyTheFirstIsFirst()
    {
        var presence = new RoomPresence();
        Assert.True(presence.Join("general", Alice));
        Assert.False(presence.Join("general", Alice));
        Assert.True(presence.Join("general", Bob));
        Assert.Equal([Alice, Bob], presence.UsersIn("general"));
        Assert.Equal(2, presence.SocketsOf("general", "u-alice"));
    }

    [Fact]
    public void Leave_OnlyTheLastSocketIsLast_AndTheEmptyRoomGoes()
    {
        var presence = new RoomPresence();
        presence.Join("general", Alice);
        presence.Join("general", Alice);
        Assert.False(presence.Leave("general", "u-alice"));
        Assert.True(presence.Leave("general", "u-alice"));
        Assert.False(presence.Leave("general", "u-alice")); // already gone
        Assert.Empty(presence.UsersIn("general"));
        Assert.Equal(0, presence.RoomCount);
    }

    [Fact]
    public void Leave_UnknownRoomOrUser_IsNotLast()
    {
        var presence = new RoomPresence();
        presence.Join("general", Bob);
        Assert.False(presence.Leave("nowhere", "u-bob"));
        Assert.False(presence.Leave("general", "u-alice"));
        Assert.Equal(1, presence.RoomCount);
    }

    [Fact]
    public async Task JoinLeave_RacingSocketsOfOneUser_FirstsAndLastsBalanceAndNothingLeaks()
    {
        // Eight "tabs" of one user join and leave two rooms concurrently; an emptied room is removed while others
        // join it. Every first must be matched by exactly one last, and at the end nothing is left.
        var presence = new RoomPresence();
        int firsts = 0, lasts = 0;
        var tabs = Enumerable.Range(0, 8).Select(t => Task.Run(() =>
        {
            for (int i = 0; i < 20_000; i++)
            {
                string room = (i + t) % 2 == 0 ? "a" : "b";
                if (presence.Join(room, Alice)) Interlocked.Increment(ref firsts);
                if (presence.Leave(room, Alice.UserId)) Interlocked.Increment(ref lasts);
            }
        }));
        await Task.WhenAll(tabs);

        Assert.Equal(firsts, lasts);
        Assert.True(firsts > 0);
        Assert.Equal(0, presence.RoomCount);
        Assert.Equal(0, presence.SocketsOf("a", Alice.UserId));
    }
}
