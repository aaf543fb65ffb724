namespace FastRealtime.Core.Timing;

/// <summary>
/// A node of the <see cref="TimerWheel"/>, embedded in the object that owns the timeout (a connection)
/// so that scheduling never allocates and an idle connection holds no timer of its own.
/// </summary>
public abstract class TimerWheelEntry
{
    internal TimerWheelEntry? Previous;
    internal TimerWheelEntry? Next;
    internal int Slot = -1;
    internal long DueTick;

    /// <summary>True while the entry is scheduled.</summary>
    public bool IsScheduled => Slot >= 0;

    /// <summary>Runs on the wheel's thread when the deadline passes. Keep it short; never block.</summary>
    protected internal abstract void OnTimerExpired();
}
