using System.Diagnostics;

namespace FastRealtime.Core.Timing;

/// <summary>
/// One shared hashed timer wheel for every timeout in the server (handshake, idle, heartbeat, close).
/// </summary>
/// <remarks>
/// Thread safety: <see cref="Schedule"/> and <see cref="Cancel"/> may be called from any thread; they take a
/// short lock, which is fine because they run per connection event (a handshake, a ping), never per message:
/// per-message activity is recorded by the owner in a plain field and checked lazily when the timer fires.
/// Expired entries are called outside the lock, on the wheel's own timer thread.
/// </remarks>
public sealed class TimerWheel : IDisposable
{
    private readonly TimerWheelEntry?[] _slots;
    private readonly object _lock = new();
    private readonly long _tickTicks;
    private readonly long _startTimestamp;
    private readonly Thread _thread;
    private volatile bool _disposed;
    private readonly List<TimerWheelEntry> _expired = new();
    private long _currentTick;
    private int _count;
    private int _advancing;

    public TimerWheel(TimeSpan resolution, int slotCount = 1024)
    {
        if (resolution <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(resolution));
        if (slotCount < 2) throw new ArgumentOutOfRangeException(nameof(slotCount));
        Resolution = resolution;
        _slots = new TimerWheelEntry?[slotCount];
        _tickTicks = (long)(resolution.TotalSeconds * Stopwatch.Frequency);
        _startTimestamp = Stopwatch.GetTimestamp();
        // A thread of its own, not a thread-pool timer: timeouts stay punctual when the pool is busy.
        _thread = new Thread(Run) { IsBackground = true, Name = "fastrealtime-timer-wheel" };
        _thread.Start();
    }

    private void Run()
    {
        while (!_disposed)
        {
            Thread.Sleep(Resolution);
            Advance();
        }
    }

    /// <summary>The process-wide wheel, 100 ms resolution, driven by one background thread.</summary>
    public static TimerWheel Shared { get; } = new(TimeSpan.FromMilliseconds(100));

    public TimeSpan Resolution { get; }

    /// <summary>Entries currently scheduled.</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>(Re)schedules <paramref name="entry"/> to expire after <paramref name="delay"/> (rounded up to the resolution).</summary>
    public void Schedule(TimerWheelEntry entry, TimeSpan delay)
    {
        long delayTicks = Math.Max(1, (long)Math.Ceiling(delay.TotalSeconds * Stopwatch.Frequency / _tickTicks));
        lock (_lock)
        {
            if (entry.Slot >= 0) Unlink(entry);
            entry.DueTick = _currentTick + delayTicks;
            Link(entry);
        }
    }

    public void Cancel(TimerWheelEntry entry)
    {
        if (entry.Slot < 0) return;
        lock (_lock)
        {
            if (entry.Slot >= 0) Unlink(entry);
        }
    }

    private void Link(TimerWheelEntry entry)
    {
        int slot = (int)(entry.DueTick % _slots.Length);
        var head = _slots[slot];
        entry.Previous = null;
        entry.Next = head;
        if (head is not null) head.Previous = entry;
        _slots[slot] = entry;
        entry.Slot = slot;
        _count++;
    }

    private void Unlink(TimerWheelEntry entry)
    {
        if (entry.Previous is not null) entry.Previous.Next = entry.Next;
        else _slots[entry.Slot] = entry.Next;
        if (entry.Next is not null) entry.Next.Previous = entry.Previous;
        entry.Previous = entry.Next = null;
        entry.Slot = -1;
        _count--;
    }

    // Catches up on every tick elapsed since the last run, so a late timer callback never loses deadlines.
    private void Advance()
    {
        // One advance at a time (Advance is also reachable from tests).
        if (Interlocked.Exchange(ref _advancing, 1) == 1) return;
        try
        {
            long targetTick = (Stopwatch.GetTimestamp() - _startTimestamp) / _tickTicks;
            lock (_lock)
            {
                while (_currentTick < targetTick)
                {
                    _currentTick++;
                    var entry = _slots[(int)(_currentTick % _slots.Length)];
                    while (entry is not null)
                    {
                        var next = entry.Next;
                        if (entry.DueTick <= _currentTick)
                        {
                            Unlink(entry);
                            _expired.Add(entry);
                        }
                        entry = next;
                    }
                }
            }

            // Called outside the lock: a callback may reschedule its own entry.
            foreach (var entry in _expired)
            {
                try
                {
                    entry.OnTimerExpired();
                }
                catch (Exception ex)
                {
                    // A faulty callback must not stop every other timeout in the server.
                    Trace.TraceError($"Timer callback failed: {ex}");
                }
            }
        }
        finally
        {
            _expired.Clear();
            Volatile.Write(ref _advancing, 0);
        }
    }

    public void Dispose() => _disposed = true;
}
