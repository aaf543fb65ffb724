using FastRealtime.Core.Connections;

namespace FastRealtime.Core.Rooms;

/// <summary>How a broadcast's recipients took the message.</summary>
public struct BroadcastResult
{
    /// <summary>Recipients that queued the frame.</summary>
    public int Queued { get; private set; }

    /// <summary>Recipients that dropped it (volatile message while behind, or the drop-on-overflow policy).</summary>
    public int Dropped { get; private set; }

    /// <summary>Recipients that were closed, or were closed by this send's overflow.</summary>
    public int Closed { get; private set; }

    /// <summary>Every member reached (queued + dropped + closed).</summary>
    public readonly int Recipients => Queued + Dropped + Closed;

    internal void Record(SendResult result)
    {
        switch (result)
        {
            case SendResult.Queued: Queued++; break;
            case SendResult.Dropped: Dropped++; break;
            default: Closed++; break;
        }
    }

    public override readonly string ToString() => $"queued {Queued}, dropped {Dropped}, closed {Closed}";
}
