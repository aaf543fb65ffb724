namespace FastRealtime.Transport.WebSockets;

/// <summary>
/// Size limits the frame reader enforces as soon as a frame header announces a length, before it buffers any
/// payload. The reader copies these values when it is constructed; changing them later affects new readers only.
/// </summary>
public sealed class WebSocketLimits
{
    /// <summary>
    /// Default for <see cref="MaxInPlaceFrameSize"/>. A frame delivered in place is held unconsumed by the connection
    /// until all of it has arrived, so this stays well under the connection's receive-buffer bound
    /// (ConnectionOptions.MaxReceiveBufferBytes, 256 KiB by default); larger frames are streamed instead.
    /// </summary>
    public const int DefaultMaxInPlaceFrameSize = 32 * 1024;

    private int _maxMessageSize = 1024 * 1024;
    private int _maxFrameSize = 1024 * 1024;
    private int _maxFragmentsPerMessage = 1_000_000;
    private int _maxInPlaceFrameSize = DefaultMaxInPlaceFrameSize;

    /// <summary>Largest message in bytes, summed over its fragments (close code 1009 beyond). Default 1 MiB.</summary>
    public int MaxMessageSize { get => _maxMessageSize; set => _maxMessageSize = Positive(value); }

    /// <summary>Largest payload of a single frame in bytes (close code 1009 beyond). Default 1 MiB.</summary>
    public int MaxFrameSize { get => _maxFrameSize; set => _maxFrameSize = Positive(value); }

    /// <summary>
    /// Most frames one message may be split into (close code 1009 beyond). Empty continuation frames cost the
    /// peer almost nothing to send, so this bounds the work one message can cause. Default 1,000,000.
    /// </summary>
    public int MaxFragmentsPerMessage { get => _maxFragmentsPerMessage; set => _maxFragmentsPerMessage = Positive(value); }

    /// <summary>
    /// Largest unfragmented frame the reader waits for in the caller's buffer and delivers as a slice of it,
    /// unmasked in place, without copying. Larger frames and every fragmented message are copied into a pooled
    /// reassembly buffer as they arrive, so the caller's buffer never holds more than this much of one frame.
    /// Must stay below the input pipe's pause threshold. Default 32 KiB.
    /// </summary>
    public int MaxInPlaceFrameSize { get => _maxInPlaceFrameSize; set => _maxInPlaceFrameSize = NonNegative(value); }

    private static int Positive(int value) =>
        value > 0 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "must be positive");

    private static int NonNegative(int value) =>
        value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "must not be negative");
}
