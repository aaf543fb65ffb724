namespace FastRealtime.Core.Rooms;

/// <summary>
/// A lock-free view of a room's (or a user's) members, taken without copying. Enumerating allocates nothing.
/// </summary>
/// <remarks>
/// The view shares the live slot array: members present for the whole enumeration appear exactly once; a member
/// that joins or leaves meanwhile may or may not appear. Use <see cref="ToArray"/> for a frozen copy.
/// Safe to use from any thread.
/// </remarks>
public readonly struct MemberSnapshot
{
    private readonly IRoomMember?[]? _slots;

    internal MemberSnapshot(IRoomMember?[] slots) => _slots = slots;

    public static MemberSnapshot Empty => default;

    internal IRoomMember?[] Slots => _slots ?? [];

    public bool IsEmpty
    {
        get
        {
            foreach (var _ in this) return false;
            return true;
        }
    }

    /// <summary>Counts by walking the view (O(n)).</summary>
    public int CountMembers()
    {
        int count = 0;
        foreach (var _ in this) count++;
        return count;
    }

    public bool Contains(IRoomMember member)
    {
        foreach (var candidate in this)
            if (ReferenceEquals(candidate, member)) return true;
        return false;
    }

    public IRoomMember[] ToArray()
    {
        var list = new List<IRoomMember>();
        foreach (var member in this) list.Add(member);
        return list.ToArray();
    }

    public Enumerator GetEnumerator() => new(Slots);

    public struct Enumerator
    {
        private readonly IRoomMember?[] _slots;
        private int _index;
        private IRoomMember? _current;

        internal Enumerator(IRoomMember?[] slots)
        {
            _slots = slots;
            _index = -1;
            _current = null;
        }

        public readonly IRoomMember Current => _current!;

        public bool MoveNext()
        {
            var slots = _slots;
            while (++_index < slots.Length)
            {
                var member = slots[_index];
                if (member is null) break;
                if (ReferenceEquals(member, MemberSet.Tombstone)) continue;
                _current = member;
                return true;
            }
            _index = slots.Length;
            return false;
        }
    }
}
