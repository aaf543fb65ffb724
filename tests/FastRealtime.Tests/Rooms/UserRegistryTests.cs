using FastRealtime.Core.Rooms;

namespace FastRealtime.Tests.Rooms;

public class UserRegistryTests
{
    private readonly UserRegistry _users = new();

    [Fact]
    public void Add_FirstSocket_ReportsFirstAndUserIsOnline()
    {
        var tab = new FakeMember(1);

        Assert.True(_users.Add("alice", tab));

        Assert.True(_users.IsOnline("alice"));
        Assert.Equal(1, _users.SocketCount("alice"));
        Assert.Equal(1, _users.UserCount);
        Assert.Equal([tab], _users.SocketsOf("alice").ToArray());
    }

    [Fact]
    public void Add_SecondSocket_IsNotFirst()
    {
        _users.Add("alice", new FakeMember(1));

        Assert.False(_users.Add("alice", new FakeMember(2)));
        Assert.Equal(2, _users.SocketCount("alice"));
    }

    [Fact]
    public void Add_SameSocketTwice_KeepsOneEntry()
    {
        var tab = new FakeMember(1);
        _users.Add("alice", tab);

        Assert.False(_users.Add("alice", tab));
        Assert.Equal(1, _users.SocketCount("alice"));
    }

    [Fact]
    public void Remove_LastSocket_ReportsLastAndUserIsOffline()
    {
        var phone = new FakeMember(1);
        var laptop = new FakeMember(2);
        _users.Add("alice", phone);
        _users.Add("alice", laptop);

        Assert.False(_users.Remove("alice", phone));
        Assert.True(_users.IsOnline("alice"));
        Assert.True(_users.Remove("alice", laptop));

        Assert.False(_users.IsOnline("alice"));
        Assert.Equal(0, _users.UserCount);
        Assert.True(_users.SocketsOf("alice").IsEmpty);
    }

    [Fact]
    public void Remove_UnknownUserOrSocket_ReturnsFalse()
    {
        _users.Add("alice", new FakeMember(1));

        Assert.False(_users.Remove("bob", new FakeMember(1)));
        Assert.False(_users.Remove("alice", new FakeMember(2)));
        Assert.True(_users.IsOnline("alice"));
    }

    [Fact]
    public void Add_AfterGoingOffline_ReportsFirstAgain()
    {
        var tab = new FakeMember(1);
        _users.Add("alice", tab);
        _users.Remove("alice", tab);

        Assert.True(_users.Add("alice", tab));
    }

    [Fact]
    public void Users_AreOrdinal()
    {
        _users.Add("Alice", new FakeMember(1));

        Assert.False(_users.IsOnline("alice"));
    }
}
