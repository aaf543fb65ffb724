namespace FastRealtime.Core.Rooms;

/// <summary>
/// The rooms one member is in, kept by its <see cref="RoomRegistry"/> so a disconnect leaves them all and a join
/// can tell "already a member" without scanning the room.
/// </summary>
/// <remarks>
/// Thread safety: the registry changes it under <see cref="Sync"/> (always taken before a room's lock, never after);
/// the public reads take a snapshot and need no lock. A membership belongs to at most one registry.
/// </remarks>
public sealed class RoomMembership
{
    internal readonly Lock Sync = new();
    private RoomSlot[] _rooms = [];

    // Guarded by Sync.
    internal RoomRegistry? Owner;
    internal bool InEveryone;
    internal int EveryoneSlotHint;
    private bool _removed;

    /// <summary>True once the member was removed from its registry (disconnected); it can join nothing again.</summary>
    public bool IsRemoved => Volatile.Read(ref _removed);

    public int Count => Volatile.Read(ref _rooms).Length;

    public bool Contains(string room) => TryFind(room, out _);

    /// <summary>A copy of the room names (allocates; for diagnostics and application code, not the hot path).</summary>
    public string[] GetRoomNames()
    {
        var rooms = Volatile.Read(ref _rooms);
        var names = new string[rooms.Length];
        for (int i = 0; i < rooms.Length; i++) names[i] = rooms[i].Room.Name;
        return names;
    }

    internal bool TryFind(string room, out RoomSlot found)
    {
        foreach (var candidate in Volatile.Read(ref _rooms))
        {
            if (!string.Equals(candidate.Room.Name, room, StringComparison.Ordinal)) continue;
            found = candidate;
            return true;
        }
        found = default;
        return false;
    }

    // The writers below run under Sync. A member is in few rooms, so a plain copy-on-write array is enough here.
    internal void Added(Room room, int slotHint)
    {
        var rooms = _rooms;
        var grown = new RoomSlot[rooms.Length + 1];
        rooms.CopyTo(grown, 0);
        grown[^1] = new RoomSlot(room, slotHint);
        Volatile.Write(ref _rooms, grown);
    }

    internal void Removed(Room room)
    {
        var rooms = _rooms;
        int index = 0;
        while (index < rooms.Length && !ReferenceEquals(rooms[index].Room, room)) index++;
        if (index == rooms.Length) return;
        var shrunk = new RoomSlot[rooms.Length - 1];
        Array.Copy(rooms, 0, shrunk, 0, index);
        Array.Copy(rooms, index + 1, shrunk, index, rooms.Length - index - 1);
        Volatile.Write(ref _rooms, shrunk);
    }

    internal RoomSlot[] TakeAll()
    {
        var rooms = _rooms;
        Volatile.Write(ref _rooms, []);
        return rooms;
    }

    internal void MarkRemoved() => Volatile.Write(ref _removed, true);
}

/// <summary>A room the member is in, and the slot its join got there (a hint that makes the leave O(1)).</summary>
internal readonly record struct RoomSlot(Room Room, int SlotHint);
