using System.Collections.Concurrent;
using FastRealtime.Core.Connections;

namespace FastRealtime.Core.Rooms;

/// <summary>
/// The rooms of one namespace, plus the namespace-wide "everyone" set; broadcasts walk them without locks
/// (see <see cref="Broadcast{TEncoder}(scoped in BroadcastTarget, ref BroadcastMessage{TEncoder})"/>).
/// </summary>
/// <remarks>
/// <para>Thread safety: every member is safe to call from any thread. Joins and leaves of one member are serialized by
/// that member's <see cref="RoomMembership"/> lock, then take the room's lock (always in that order). Broadcasts take
/// no lock: they read each room's slot array once (see <see cref="MemberSet"/>).</para>
/// <para>A room exists while it has members. The leave that empties it retires it and removes it from the dictionary
/// under the room's lock; a join that found the retired room retries with a fresh one, so no join is lost
/// (the HubGroupList lesson: removal of an empty group must be atomic with respect to joins).</para>
/// <para>Lifecycle: <see cref="AddMember"/> on connect (joins everyone), <see cref="Join"/>/<see cref="Leave"/> as
/// the application says, <see cref="RemoveMember"/> on disconnect (leaves everything; later joins are refused).</para>
/// </remarks>
public sealed partial class RoomRegistry
{
    private static readonly Func<string, Room> s_newRoom = static name => new Room(name);

    private readonly ConcurrentDictionary<string, Room> _rooms = new(StringComparer.Ordinal);
    private readonly MemberSet _everyone = new();
    private readonly int _maxRoomsPerMember;
    private readonly int _publishProtocol; // -1: publishes are not merged

    public RoomRegistry(RoomRegistryOptions? options = null)
    {
        options ??= new RoomRegistryOptions();
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.MaxRoomsPerMember);
        _maxRoomsPerMember = options.MaxRoomsPerMember;
        if (options.PublishProtocol is int protocol)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(protocol, nameof(options.PublishProtocol));
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(protocol, BroadcastMessage.MaxProtocols, nameof(options.PublishProtocol));
        }
        _publishProtocol = options.PublishProtocol ?? -1;
    }

    /// <summary>Rooms with at least one member (takes the dictionary's locks; not for hot paths).</summary>
    public int RoomCount => _rooms.Count;

    /// <summary>Members added with <see cref="AddMember"/> and not yet removed.</summary>
    public int EveryoneCount => _everyone.Count;

    public MemberSnapshot Everyone => _everyone.Snapshot;

    public bool RoomExists(string room) => _rooms.ContainsKey(room);

    public int MemberCount(string room) => _rooms.TryGetValue(room, out var found) ? found.Count : 0;

    /// <summary>A lock-free view of the room's members (empty when the room does not exist).</summary>
    public MemberSnapshot GetMembers(string room) =>
        _rooms.TryGetValue(room, out var found) ? found.Snapshot : MemberSnapshot.Empty;

    /// <summary>Adds a connected member to the everyone set. False when already added or already removed.</summary>
    public bool AddMember(IRoomMember member)
    {
        ThreadDeferredSends.Flush(); // merged publishes reach the members they had
        var membership = MembershipOf(member);
        lock (membership.Sync)
        {
            ClaimOwnership(membership);
            if (membership.IsRemoved || membership.InEveryone) return false;
            lock (_everyone.Sync) membership.EveryoneSlotHint = _everyone.Add(member);
            membership.InEveryone = true;
            return true;
        }
    }

    /// <summary>
    /// On disconnect: leaves every room (removing rooms it empties) and the everyone set, and refuses later joins,
    /// so a join racing the disconnect cannot leak membership. False when it was already removed.
    /// </summary>
    public bool RemoveMember(IRoomMember member)
    {
        ThreadDeferredSends.Flush();
        var membership = MembershipOf(member);
        lock (membership.Sync)
        {
            if (membership.IsRemoved) return false;
            ClaimOwnership(membership);
            membership.MarkRemoved();
            LeaveAllLocked(member, membership);
            if (membership.InEveryone)
            {
                lock (_everyone.Sync) _everyone.Remove(member, membership.EveryoneSlotHint);
                membership.InEveryone = false;
            }
            return true;
        }
    }

    public RoomJoinResult Join(IRoomMember member, string room)
    {
        ArgumentNullException.ThrowIfNull(room);
        if (_publishProtocol >= 0 && member.ProtocolIndex != _publishProtocol)
            throw new ArgumentException($"This registry merges publishes for protocol {_publishProtocol} only; the member uses {member.ProtocolIndex}.", nameof(member));
        ThreadDeferredSends.Flush();
        var membership = MembershipOf(member);
        lock (membership.Sync)
        {
            ClaimOwnership(membership);
            if (membership.IsRemoved) return RoomJoinResult.MemberRemoved;
            if (membership.TryFind(room, out _)) return RoomJoinResult.AlreadyMember;
            if (membership.Count >= _maxRoomsPerMember) return RoomJoinResult.TooManyRooms;

            while (true)
            {
                var target = _rooms.GetOrAdd(room, s_newRoom);
                int slot;
                lock (target.Sync)
                {
                    // Emptied and dropped from the dictionary after we found it: look the name up again.
                    if (target.IsRetired) continue;
                    slot = target.Add(member);
                }
                membership.Added(target, slot);
                return RoomJoinResult.Joined;
            }
        }
    }

    /// <summary>False when the member was not in the room.</summary>
    public bool Leave(IRoomMember member, string room)
    {
        ArgumentNullException.ThrowIfNull(room);
        ThreadDeferredSends.Flush();
        var membership = MembershipOf(member);
        lock (membership.Sync)
        {
            ClaimOwnership(membership);
            if (!membership.TryFind(room, out var entry)) return false;
            RemoveFromRoom(member, entry);
            membership.Removed(entry.Room);
            return true;
        }
    }

    /// <summary>Leaves every room (the member stays in the everyone set and may join again). Returns how many.</summary>
    public int LeaveAll(IRoomMember member)
    {
        ThreadDeferredSends.Flush();
        var membership = MembershipOf(member);
        lock (membership.Sync)
        {
            ClaimOwnership(membership);
            return LeaveAllLocked(member, membership);
        }
    }

    private int LeaveAllLocked(IRoomMember member, RoomMembership membership)
    {
        var rooms = membership.TakeAll();
        foreach (var entry in rooms) RemoveFromRoom(member, entry);
        return rooms.Length;
    }

    private void RemoveFromRoom(IRoomMember member, RoomSlot entry)
    {
        var room = entry.Room;
        lock (room.Sync)
        {
            room.Remove(member, entry.SlotHint);
            if (room.Count > 0) return;
            room.IsRetired = true;
            // Removes only this Room object: a newer room of the same name is not ours to drop.
            _rooms.TryRemove(KeyValuePair.Create(room.Name, room));
        }
    }

    private static RoomMembership MembershipOf(IRoomMember member)
    {
        ArgumentNullException.ThrowIfNull(member);
        return member.Rooms ?? throw new ArgumentException("IRoomMember.Rooms returned null.", nameof(member));
    }

    // Under membership.Sync.
    private void ClaimOwnership(RoomMembership membership)
    {
        membership.Owner ??= this;
        if (!ReferenceEquals(membership.Owner, this))
            throw new InvalidOperationException("This member belongs to another RoomRegistry (a member lives in one namespace).");
    }
}
