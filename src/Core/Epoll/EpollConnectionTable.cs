namespace FastRealtime.Core.Epoll;

/// <summary>
/// Maps the 64-bit token an epoll event carries to its connection. The token holds a slot and that slot's
/// generation, so an event still in flight for a connection that ended never reaches the slot's next owner.
/// </summary>
/// <remarks>Register and unregister take a lock (once per connection); lookups on the event path take none.</remarks>
internal static class EpollConnectionTable
{
    private static readonly object s_lock = new();
    private static EpollConnection?[] s_slots = new EpollConnection?[1024];
    private static uint[] s_generations = new uint[1024];
    private static readonly Stack<int> s_free = new();
    private static int s_used;

    public static ulong Register(EpollConnection connection)
    {
        lock (s_lock)
        {
            int slot;
            if (s_free.Count > 0)
            {
                slot = s_free.Pop();
            }
            else
            {
                if (s_used == s_slots.Length) Grow();
                slot = s_used++;
            }
            uint generation = ++s_generations[slot];
            Volatile.Write(ref s_slots[slot], connection);
            return ((ulong)generation << 32) | (uint)slot;
        }
    }

    public static void Unregister(ulong token)
    {
        lock (s_lock)
        {
            int slot = (int)(uint)token;
            if (s_generations[slot] != (uint)(token >> 32) || s_slots[slot] is null) return;
            s_slots[slot] = null;
            s_free.Push(slot);
        }
    }

    public static EpollConnection? Find(ulong token)
    {
        var slots = Volatile.Read(ref s_slots);
        var generations = Volatile.Read(ref s_generations);
        int slot = (int)(uint)token;
        if ((uint)slot >= (uint)slots.Length || (uint)slot >= (uint)generations.Length) return null;
        var connection = Volatile.Read(ref slots[slot]);
        return connection is not null && generations[slot] == (uint)(token >> 32) ? connection : null;
    }

    private static void Grow()
    {
        var slots = new EpollConnection?[s_slots.Length * 2];
        var generations = new uint[slots.Length];
        Array.Copy(s_slots, slots, s_slots.Length);
        Array.Copy(s_generations, generations, s_generations.Length);
        // Generations first: a lookup that sees the new slots must also see their generations.
        Volatile.Write(ref s_generations, generations);
        Volatile.Write(ref s_slots, slots);
    }
}
