namespace FastRealtime.Core.Rooms;

/// <summary>
/// Per-thread reusable sets for deduplicating and excluding recipients of multi-room broadcasts, so such a broadcast
/// allocates no HashSet after warm-up.
/// </summary>
/// <remarks>
/// Two sets per thread: clearing a set costs O(its capacity), so after one 100,000-recipient broadcast the small
/// everyday ones must not pay for it. A set is taken out of its slot while in use, so a member's Send that
/// broadcasts again on the same thread gets its own. Sets that grew past <see cref="MaxRetainedCapacity"/>
/// members are dropped (bounded memory per thread: about 20 bytes per retained member).
/// </remarks>
internal static class RecipientSetCache
{
    internal const int SmallSetLimit = 4_096;
    internal const int MaxRetainedCapacity = 1 << 18;

    [ThreadStatic] private static HashSet<IRoomMember>? t_small;
    [ThreadStatic] private static HashSet<IRoomMember>? t_large;

    internal static HashSet<IRoomMember> Rent(int expectedMembers)
    {
        HashSet<IRoomMember>? set;
        if (expectedMembers <= SmallSetLimit)
        {
            set = t_small;
            t_small = null;
        }
        else
        {
            set = t_large;
            t_large = null;
        }
        return set ?? new HashSet<IRoomMember>(ReferenceEqualityComparer.Instance);
    }

    internal static void Return(HashSet<IRoomMember> set, int expectedMembers)
    {
        if (set.Count > MaxRetainedCapacity) return;
        set.Clear();
        if (expectedMembers <= SmallSetLimit && set.Count <= SmallSetLimit) t_small = set;
        else t_large = set;
    }
}
