using FastRealtime.Core.Buffers;
using FastRealtime.Core.Connections;

namespace FastRealtime.Core.Rooms;

/// <summary>
/// A set of members whose slot array is read without locks: the broadcaster walks it while joins and leaves
/// go on. Base of rooms, the namespace-wide everyone set and a user's sockets.
/// </summary>
/// <remarks>
/// <para>Thread safety: writers (<see cref="Add"/>, <see cref="Remove"/>, <see cref="IsRetired"/>) hold <see cref="Sync"/>.
/// Readers call <see cref="Slots"/> once and walk that array with no lock; they stop at the first null and skip
/// <see cref="Tombstone"/>.</para>
/// <para>Why this is safe: a published array is only ever changed by single reference writes of three kinds:
/// a null slot past the used part becomes a member (append), a member's slot becomes the tombstone (leave), or a
/// tombstone becomes again the member that left it (rejoin). So a walker sees every member present for its whole walk
/// exactly once, may or may not see one that joins or leaves meanwhile, and never sees one twice: a member never
/// appears in two slots of one array. Any other change (growth, compaction) builds a new array and publishes it;
/// the old one is never written again.</para>
/// <para>Cost: join is amortized O(1) (append in place or refill the member's own tombstone; the array grows by half
/// when full); leave is one write at the slot the join returned (an O(n) scan only when a compaction moved the member
/// since), and tombstones are compacted away once they outnumber half the live members. A plain copy-on-write array copies and allocates O(n) on every join and leave, which makes filling a
/// 100,000-member room, or the everyone set under connect churn, quadratic. MemberId must be unique per member
/// (it keys the departed-slot map).</para>
/// <para>Against a ConcurrentDictionary used as a set (what SignalR's HubGroupList does), see the numbers in
/// bench/FastRealtime.Benchmarks/Rooms/MemberSetBenchmarks.cs.</para>
/// </remarks>
internal class MemberSet
{
    /// <summary>Marks a slot whose member left; walkers skip it.</summary>
    internal static readonly IRoomMember Tombstone = new TombstoneMember();

    private static readonly IRoomMember?[] s_empty = [];
    private const int MinCapacity = 4;
    private const int MinTombstonesBeforeCompaction = 8;

    internal readonly Lock Sync = new();

    private IRoomMember?[] _slots = s_empty;
    private int _used;   // slots written in _slots: members and tombstones
    private int _live;   // members in _slots
    // Member id -> slot of its tombstone in _slots. Such a member must not be appended further on in _slots
    // (a walker that reached its old slot could reach it again); it goes back into that slot instead.
    // Ids, not references: a departed connection is not kept alive here. Cleared whenever _slots is replaced.
    private Dictionary<long, int>? _departed;

    /// <summary>Set under <see cref="Sync"/> when an owner dropped this set after it emptied; nobody may add to it again.</summary>
    internal bool IsRetired;

    /// <summary>The current slot array: members, tombstones to skip, then nulls (stop at the first).</summary>
    internal IRoomMember?[] Slots => Volatile.Read(ref _slots);

    internal int Count => Volatile.Read(ref _live);

    internal MemberSnapshot Snapshot => new(Slots);

    /// <summary>
    /// Adds a member the caller knows is absent and returns its slot, a hint for <see cref="Remove"/>.
    /// Caller holds <see cref="Sync"/>.
    /// </summary>
    internal int Add(IRoomMember member)
    {
        int slot;
        if (_departed is { Count: > 0 } departed && departed.Remove(member.MemberId, out slot))
        {
            // Back into its own tombstoned slot: a walker past that slot already reached it, one before reaches it once.
            // Appending it further on instead could reach it twice.
            Volatile.Write(ref _slots[slot], member);
        }
        else
        {
            if (_used == _slots.Length) Rebuild(_live + 1);
            slot = _used++;
            Volatile.Write(ref _slots[slot], member);
        }
        Volatile.Write(ref _live, _live + 1);
        return slot;
    }

    /// <summary>
    /// Removes a member; false when it was not here. <paramref name="slotHint"/> (from <see cref="Add"/>) makes it O(1)
    /// unless a compaction moved the member since; a member is in one slot at most, so a matching hint is its slot.
    /// Caller holds <see cref="Sync"/>.
    /// </summary>
    internal bool Remove(IRoomMember member, int slotHint = -1)
    {
        var slots = _slots;
        int index = (uint)slotHint < (uint)_used && ReferenceEquals(slots[slotHint], member)
            ? slotHint
            : IndexOf(slots, member, _used);
        if (index < 0) return false;

        Volatile.Write(ref slots[index], Tombstone);
        Volatile.Write(ref _live, _live - 1);
        if (_live == 0)
        {
            // Walkers of the old array see only tombstones there; a fresh start needs no departed list.
            Volatile.Write(ref _slots, s_empty);
            _used = 0;
            _departed?.Clear();
            return true;
        }
        (_departed ??= new Dictionary<long, int>())[member.MemberId] = index;
        if (_used - _live > Math.Max(MinTombstonesBeforeCompaction, _live / 2))
            Rebuild(_live);
        return true;
    }

    /// <summary>Linear scan; fine for a user's few sockets, avoided for rooms (the member's own list answers).</summary>
    internal bool Contains(IRoomMember member) => IndexOf(_slots, member, _used) >= 0;

    // By reference: a member's Equals override must not change who is in a room.
    private static int IndexOf(IRoomMember?[] slots, IRoomMember member, int used)
    {
        for (int i = 0; i < used; i++)
            if (ReferenceEquals(slots[i], member)) return i;
        return -1;
    }

    // Copies the live members into a new array with room to grow and publishes it; the old array is frozen.
    private void Rebuild(int needed)
    {
        int capacity = Math.Max(MinCapacity, needed + needed / 2);
        var fresh = new IRoomMember?[capacity];
        int count = 0;
        var slots = _slots;
        for (int i = 0; i < _used; i++)
        {
            var member = slots[i];
            if (!ReferenceEquals(member, Tombstone)) fresh[count++] = member;
        }
        _used = count;
        _departed?.Clear();
        Volatile.Write(ref _slots, fresh);
    }

    private sealed class TombstoneMember : IRoomMember
    {
        public long MemberId => long.MinValue;
        public int ProtocolIndex => 0;
        public SendResult Send(SharedBuffer frame, bool isVolatile) => SendResult.Closed;
        public RoomMembership Rooms => throw new NotSupportedException();
    }
}
