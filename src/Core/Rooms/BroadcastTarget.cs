using System.Diagnostics.CodeAnalysis;

namespace FastRealtime.Core.Rooms;

/// <summary>
/// Who a broadcast reaches: a room, several rooms (each recipient once), everyone in the namespace, one member,
/// or a given set of members (a user's sockets), minus an optional member (the sender) and optional rooms.
/// </summary>
/// <remarks>
/// A ref struct over the caller's spans, built on the spot and passed straight to
/// <see cref="RoomRegistry.Broadcast{TEncoder}(scoped in BroadcastTarget, ref BroadcastMessage{TEncoder})"/>:
/// <c>BroadcastTarget.ToRoom(room).Except(sender)</c> and <c>ToRooms(["a", "b"]).ExceptRooms(["muted"])</c>
/// allocate nothing (a collection expression passed as a span lives on the stack).
/// </remarks>
public readonly ref struct BroadcastTarget
{
    internal enum TargetKind : byte { Room, Rooms, Everyone, Member, Members }

    internal readonly TargetKind Kind;
    internal readonly string? Room;
    internal readonly ReadOnlySpan<string> Rooms;
    internal readonly IRoomMember? Member;
    internal readonly MemberSnapshot Members;
    internal readonly IRoomMember? ExceptMember;
    internal readonly ReadOnlySpan<string> ExceptRoomNames;

    private BroadcastTarget(TargetKind kind, string? room, ReadOnlySpan<string> rooms, IRoomMember? member,
        MemberSnapshot members, IRoomMember? exceptMember, ReadOnlySpan<string> exceptRooms)
    {
        Kind = kind;
        Room = room;
        Rooms = rooms;
        Member = member;
        Members = members;
        ExceptMember = exceptMember;
        ExceptRoomNames = exceptRooms;
    }

    public static BroadcastTarget ToRoom(string room)
    {
        ArgumentNullException.ThrowIfNull(room);
        return new(TargetKind.Room, room, default, null, default, null, default);
    }

    /// <summary>Every member of any of the rooms, each once.</summary>
    public static BroadcastTarget ToRooms(ReadOnlySpan<string> rooms) =>
        new(TargetKind.Rooms, null, rooms, null, default, null, default);

    /// <summary>Every member added to the registry (the namespace).</summary>
    public static BroadcastTarget ToEveryone() => new(TargetKind.Everyone, null, default, null, default, null, default);

    public static BroadcastTarget ToMember(IRoomMember member)
    {
        ArgumentNullException.ThrowIfNull(member);
        return new(TargetKind.Member, null, default, member, default, null, default);
    }

    /// <summary>The given members, e.g. <see cref="UserRegistry.SocketsOf"/> for every socket of one user.</summary>
    public static BroadcastTarget ToMembers(MemberSnapshot members) =>
        new(TargetKind.Members, null, default, null, members, null, default);

    /// <summary>Skips one member (the sender). Null means skip nobody, so server-side emits can pass "no sender".</summary>
    public BroadcastTarget Except(IRoomMember? member) =>
        new(Kind, Room, Rooms, Member, Members, member, ExceptRoomNames);

    /// <summary>Skips every member of these rooms. Give all of them in one call.</summary>
    public BroadcastTarget ExceptRooms(ReadOnlySpan<string> rooms)
    {
        if (!ExceptRoomNames.IsEmpty) ThrowExceptRoomsTwice();
        return new(Kind, Room, Rooms, Member, Members, ExceptMember, rooms);
    }

    [DoesNotReturn]
    private static void ThrowExceptRoomsTwice() =>
        throw new InvalidOperationException("ExceptRooms was already given; pass every excluded room in one call.");
}
