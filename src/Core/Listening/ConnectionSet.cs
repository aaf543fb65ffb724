using FastRealtime.Core.Connections;

namespace FastRealtime.Core.Listening;

/// <summary>
/// The server's open connections, for limits and graceful shutdown: a slot array with a free list, so a connection
/// costs one array slot and an index instead of a dictionary node. Add and remove take a lock (once per connection).
/// </summary>
internal sealed class ConnectionSet
{
    private readonly object _lock = new();
    private Connection?[] _slots = new Connection?[256];
    private readonly Stack<int> _free = new();
    private int _used;
    private int _count;

    public int Count => Volatile.Read(ref _count);

    public void Add(Connection connection)
    {
        lock (_lock)
        {
            int slot;
            if (_free.Count > 0) slot = _free.Pop();
            else
            {
                if (_used == _slots.Length) Array.Resize(ref _slots, _slots.Length * 2);
                slot = _used++;
            }
            _slots[slot] = connection;
            connection.RegistrySlot = slot;
            _count++;
        }
    }

    public void Remove(Connection connection)
    {
        lock (_lock)
        {
            int slot = connection.RegistrySlot;
            if (slot < 0 || !ReferenceEquals(_slots[slot], connection)) return;
            _slots[slot] = null;
            connection.RegistrySlot = -1;
            _free.Push(slot);
            _count--;
        }
    }

    public List<Connection> Snapshot()
    {
        lock (_lock)
        {
            var list = new List<Connection>(_count);
            for (int i = 0; i < _used; i++)
                if (_slots[i] is { } connection) list.Add(connection);
            return list;
        }
    }
}
