using System.Net;

namespace FastRealtime.Core.Listening;

/// <summary>Counts open connections per remote address; consulted once per accept and once per close.</summary>
internal sealed class ConnectionsPerIpLimiter(int limit)
{
    private readonly Dictionary<IPAddress, int> _counts = new();

    public bool TryAcquire(IPAddress address)
    {
        if (limit <= 0) return true;
        lock (_counts)
        {
            _counts.TryGetValue(address, out int count);
            if (count >= limit) return false;
            _counts[address] = count + 1;
            return true;
        }
    }

    public void Release(IPAddress address)
    {
        if (limit <= 0) return;
        lock (_counts)
        {
            if (!_counts.TryGetValue(address, out int count)) return;
            if (count <= 1) _counts.Remove(address);
            else _counts[address] = count - 1;
        }
    }
}
