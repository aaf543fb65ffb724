using System.Buffers;
using System.Runtime.CompilerServices;

namespace FastRealtime.Transport.WebSockets;

/// <summary>
/// The RFC 6455 §5 frame parser for one connection, in either role: synchronous, resumable, no I/O.
/// </summary>
/// <remarks>
/// <para>
/// Feed it whatever bytes have arrived; it parses as many frames as they hold, calls the handler for every
/// complete message and control frame, and leaves the buffer sliced to what it did not consume. When the
/// buffer ends mid-frame it remembers where it was (header, in-place payload, streamed payload) and resumes on
/// the next call. Errors are returned as <see cref="FrameError"/> values (close with
/// <see cref="FrameErrors.ToCloseCode"/>) and are sticky: every later call returns the same error.
/// </para>
/// <para>
/// Unfragmented frames up to <see cref="WebSocketLimits.MaxInPlaceFrameSize"/> and all control frames are
/// unmasked in place and delivered as a slice of the caller's buffer: the caller's memory must be writable
/// (pipe memory is), and bytes the reader did not consume may already be unmasked, so they must be passed back
/// unchanged on the next call, as a PipeReader does. Fragmented and larger messages are copied into a pooled
/// reassembly buffer as they arrive, so the caller's buffer stays small and invalid UTF-8 fails fast.
/// </para>
/// <para>Not thread-safe: one reader per connection, called by that connection's single receive loop.
/// If a handler throws, the reader's state is undefined; dispose it and close the connection.</para>
/// </remarks>
[SkipLocalsInit]
public sealed partial class WebSocketFrameReader : IDisposable
{
    private enum ReadState : byte
    {
        Header,
        InPlacePayload,
        StreamedPayload,
        Closed,
    }

    private readonly WebSocketRole _role;
    private readonly int _maxMessageSize;
    private readonly int _maxFrameSize;
    private readonly int _maxFragmentsPerMessage;
    private readonly int _maxInPlaceFrameSize;

    private ReadState _state;
    private FrameError _error;
    private bool _disposed;

    // The frame being read (set when its header is complete).
    private WebSocketOpcode _opcode;
    private bool _fin;
    private bool _rsv1;
    private bool _masked;
    private uint _maskKey;
    private int _maskOffset;
    private long _payloadLength;
    private long _payloadDone; // payload bytes already unmasked (and validated) or copied
    private bool _validateUtf8;

    // The data message being read: a single in-place frame, or a fragmented/large one being reassembled.
    private bool _messageInProgress; // true only while a reassembled message awaits more frames
    private WebSocketMessageKind _messageKind;
    private bool _messageCompressed;
    private long _messageLength;
    private int _fragments;
    private Utf8Validator _utf8;
    private ReassemblyBuffer _reassembly;

    public WebSocketFrameReader(WebSocketRole role, WebSocketLimits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        _role = role;
        _maxMessageSize = limits.MaxMessageSize;
        _maxFrameSize = limits.MaxFrameSize;
        _maxFragmentsPerMessage = limits.MaxFragmentsPerMessage;
        _maxInPlaceFrameSize = limits.MaxInPlaceFrameSize;
    }

    public WebSocketRole Role => _role;

    /// <summary>True once a valid close frame was delivered; the reader then reads nothing more (RFC 6455 §5.5.1).</summary>
    public bool CloseReceived => _state == ReadState.Closed;

    /// <summary>Frames whose header has been read so far (for metrics).</summary>
    public long FramesRead { get; private set; }

    /// <summary>
    /// Accept RSV1 on the first frame of a data message: set when permessage-deflate (RFC 7692) was negotiated.
    /// Such a message is delivered still compressed with <see cref="MessageCompressed"/> set, and its text is not
    /// UTF-8 checked here: the inflater must validate after decompressing.
    /// </summary>
    public bool AllowRsv1 { get; set; }

    /// <summary>During <see cref="IWebSocketFrameHandler.OnMessage"/>: whether the message's first frame had RSV1 set.</summary>
    public bool MessageCompressed => _messageCompressed;

    /// <summary>
    /// Parses the frames in <paramref name="buffer"/>, calls <paramref name="handler"/> synchronously, and slices
    /// <paramref name="buffer"/> to the bytes not consumed (then call <c>input.AdvanceTo(buffer.Start, buffer.End)</c>).
    /// </summary>
    /// <returns><see cref="FrameError.None"/> when it needs more bytes or has received a close frame; else the error.</returns>
    public FrameError Read<THandler>(ref ReadOnlySequence<byte> buffer, ref THandler handler)
        where THandler : IWebSocketFrameHandler
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_error != FrameError.None)
        {
            return _error;
        }

        while (true)
        {
            FrameError error;
            bool needMore;
            switch (_state)
            {
                case ReadState.Header:
                    error = ReadFramesInFirstSegment(ref buffer, ref handler);
                    if (error != FrameError.None)
                    {
                        return _error = error;
                    }

                    if (_state != ReadState.Header)
                    {
                        continue;
                    }

                    if (buffer.IsSingleSegment)
                    {
                        return FrameError.None; // the next header is incomplete
                    }

                    // The next header may continue in the following segment.
                    error = ParseHeader(buffer, out int headerLength);
                    if (error != FrameError.None)
                    {
                        return _error = error;
                    }

                    if (headerLength == 0)
                    {
                        return FrameError.None;
                    }

                    buffer = buffer.Slice(headerLength);
                    StartPayload();
                    continue;
                case ReadState.InPlacePayload:
                    error = ReadInPlacePayload(ref buffer, ref handler, out needMore);
                    break;
                case ReadState.StreamedPayload:
                    error = ReadStreamedPayload(ref buffer, ref handler, out needMore);
                    break;
                default:
                    return FrameError.None;
            }

            if (error != FrameError.None)
            {
                return _error = error;
            }

            if (needMore)
            {
                return FrameError.None;
            }
        }
    }

    /// <summary>Returns the reassembly buffer, if one is rented, to the pool.</summary>
    public void Dispose()
    {
        _disposed = true;
        _reassembly.Release();
    }
}
