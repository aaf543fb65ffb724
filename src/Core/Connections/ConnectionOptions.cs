namespace FastRealtime.Core.Connections;

/// <summary>Per-connection limits of the socket core. Every limit has a safe default.</summary>
public sealed class ConnectionOptions
{
    /// <summary>Bytes queued for sending past which a connection is over its bound (slow reader). Default 4 MiB.</summary>
    public long MaxOutboundBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>What happens when <see cref="MaxOutboundBytes"/> is passed.</summary>
    public OverflowPolicy OverflowPolicy { get; set; } = OverflowPolicy.Close;

    /// <summary>Queued bytes past which volatile messages (typing, presence) are dropped instead of queued. Default 64 KiB.</summary>
    public long VolatileDropThreshold { get; set; } = 64 * 1024;

    /// <summary>Bytes buffered from the socket but not yet consumed past which reading pauses. Default 256 KiB.</summary>
    public long MaxReceiveBufferBytes { get; set; } = 256 * 1024;

    /// <summary>Size of the buffer a send gathers queued frames into, so many frames go out in one syscall. Default 16 KiB.</summary>
    public int SendCoalesceBytes { get; set; } = 16 * 1024;

    /// <summary>How long a closing connection may take to drain its outbound queue before it is dropped. Default 5 s.</summary>
    public TimeSpan DrainTimeout { get; set; } = TimeSpan.FromSeconds(5);
}

/// <summary>What a connection whose outbound queue is over its bound does.</summary>
public enum OverflowPolicy : byte
{
    /// <summary>Close the connection (counted in fastrealtime.outbound.overflow_closes).</summary>
    Close,

    /// <summary>Drop the message that does not fit and keep the connection (counted in fastrealtime.outbound.dropped).</summary>
    DropMessage,
}

/// <summary>What <see cref="Connection.Send(FastRealtime.Core.Buffers.SharedBuffer, int, int, bool)"/> did with a message.</summary>
public enum SendResult : byte
{
    /// <summary>Queued; it will be written in order.</summary>
    Queued,

    /// <summary>Not queued because the connection is busy (volatile message, or the drop policy).</summary>
    Dropped,

    /// <summary>Not queued because the connection is closed or was closed by this send's overflow.</summary>
    Closed,
}
