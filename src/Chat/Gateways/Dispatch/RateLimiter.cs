namespace FastRealtime.Chat.Gateways.Dispatch;

/// <summary>A token bucket: <c>perSecond</c> messages per second on average, bursts up to <c>burst</c>; 0 per second is unlimited.</summary>
/// <remarks>Not thread-safe: used on one client's receive path, which runs one message at a time.</remarks>
internal struct RateLimiter(int perSecond, int burst)
{
    // Thousandths of a token, so the refill of perSecond tokens per 1000 ms is exactly perSecond per millisecond.
    private const long Unit = 1000;
    private readonly long _capacity = Math.Max(burst, 1) * Unit;
    private long _tokens = Math.Max(burst, 1) * Unit;
    private long _lastMs = Environment.TickCount64;

    public bool TryTake()
    {
        if (perSecond <= 0) return true;
        long now = Environment.TickCount64;
        if (now > _lastMs)
        {
            _tokens = Math.Min(_capacity, _tokens + (now - _lastMs) * perSecond);
            _lastMs = now;
        }
        if (_tokens < Unit) return false;
        _tokens -= Unit;
        return true;
    }
}
