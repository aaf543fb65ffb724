using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace FastRealtime.Transport.WebSockets;

public sealed partial class WebSocketFrameReader
{
    // Fast path for the common case, frames that lie whole in the first segment: parsed straight from its span,
    // unmasked in place, delivered as a slice, and the buffer sliced once for the whole run of frames.
    // Stops at the first frame that is incomplete here or is not delivered in place; the general states take over.
    private FrameError ReadFramesInFirstSegment<THandler>(ref ReadOnlySequence<byte> buffer, ref THandler handler)
        where THandler : IWebSocketFrameHandler
    {
        ReadOnlySpan<byte> span = buffer.FirstSpan;
        int consumed = 0;
        FrameError error;
        while (true)
        {
            error = ParseHeader(span[consumed..], out int headerLength);
            if (error != FrameError.None || headerLength == 0)
            {
                break;
            }

            consumed += headerLength;
            StartPayload();
            if (_state != ReadState.InPlacePayload || _payloadLength > span.Length - consumed)
            {
                break;
            }

            int length = (int)_payloadLength;
            // The input is the connection's own receive memory, so writing to it is allowed (see the type remarks).
            Span<byte> payload = MemoryMarshal.CreateSpan(ref Unsafe.Add(ref MemoryMarshal.GetReference(span), consumed), length);
            if (!UnmaskAndValidate(payload))
            {
                error = FrameError.InvalidUtf8;
                break;
            }

            _payloadDone = length;
            error = DeliverInPlace(buffer.Slice(consumed, length), ref handler);
            consumed += length;
            if (error != FrameError.None || _state == ReadState.Closed)
            {
                break;
            }
        }

        buffer = buffer.Slice(consumed);
        return error;
    }

    // Control frames and small unfragmented messages whose payload is not yet whole in the first segment: the
    // payload stays in the caller's buffer until all of it has arrived. Bytes are unmasked (and UTF-8 checked)
    // as they arrive, and _payloadDone remembers how far, so a resumed call neither unmasks twice nor rescans.
    private FrameError ReadInPlacePayload<THandler>(ref ReadOnlySequence<byte> buffer, ref THandler handler, out bool needMore)
        where THandler : IWebSocketFrameHandler
    {
        long available = Math.Min(buffer.Length, _payloadLength);
        if (available > _payloadDone)
        {
            foreach (ReadOnlyMemory<byte> segment in buffer.Slice(_payloadDone, available - _payloadDone))
            {
                if (!UnmaskAndValidate(MemoryMarshal.AsMemory(segment).Span))
                {
                    needMore = false;
                    return FrameError.InvalidUtf8;
                }
            }

            _payloadDone = available;
        }

        needMore = _payloadDone < _payloadLength;
        if (needMore)
        {
            return FrameError.None;
        }

        ReadOnlySequence<byte> payload = buffer.Slice(0, _payloadLength);
        buffer = buffer.Slice(payload.End);
        return DeliverInPlace(payload, ref handler);
    }

    private bool UnmaskAndValidate(Span<byte> bytes)
    {
        if (_masked)
        {
            _maskOffset = WebSocketMask.Apply(bytes, _maskKey, _maskOffset);
        }

        return !_validateUtf8 || _utf8.Append(bytes, final: false);
    }

    private FrameError DeliverInPlace<THandler>(in ReadOnlySequence<byte> payload, ref THandler handler)
        where THandler : IWebSocketFrameHandler
    {
        _state = ReadState.Header;
        switch (_opcode)
        {
            case WebSocketOpcode.Ping:
                handler.OnPing(payload);
                return FrameError.None;
            case WebSocketOpcode.Pong:
                handler.OnPong(payload);
                return FrameError.None;
            case WebSocketOpcode.Close:
                return DeliverClose(payload, ref handler);
            default:
                if (_validateUtf8 && !_utf8.Append(default, final: true))
                {
                    return FrameError.InvalidUtf8;
                }

                handler.OnMessage(_messageKind, payload);
                return FrameError.None;
        }
    }

    // Fragmented or large messages: whatever part of the payload has arrived is copied into the reassembly
    // buffer, unmasked and UTF-8 checked there, and consumed at once.
    private FrameError ReadStreamedPayload<THandler>(ref ReadOnlySequence<byte> buffer, ref THandler handler, out bool needMore)
        where THandler : IWebSocketFrameHandler
    {
        int take = (int)Math.Min(buffer.Length, _payloadLength - _payloadDone);
        if (take > 0)
        {
            // Once this frame ends the message is at most _messageLength bytes (exactly that when FIN is set).
            Span<byte> target = _reassembly.GetSpan(take, _fin ? _messageLength : _maxMessageSize);
            ReadOnlySequence<byte> chunk = buffer.Slice(0, take);
            chunk.CopyTo(target);
            buffer = buffer.Slice(chunk.End);
            _reassembly.Advance(take);
            _payloadDone += take;
            if (_masked)
            {
                _maskOffset = WebSocketMask.Apply(target, _maskKey, _maskOffset);
            }

            if (_validateUtf8 && !_utf8.Append(target, final: false))
            {
                needMore = false;
                return FrameError.InvalidUtf8;
            }
        }

        needMore = _payloadDone < _payloadLength;
        if (needMore)
        {
            return FrameError.None;
        }

        _state = ReadState.Header;
        if (!_fin)
        {
            return FrameError.None;
        }

        if (_validateUtf8 && !_utf8.Append(default, final: true))
        {
            return FrameError.InvalidUtf8;
        }

        _messageInProgress = false;
        handler.OnMessage(_messageKind, _reassembly.Written);
        _reassembly.Release();
        return FrameError.None;
    }

    // §5.5.1: an empty body means no status code (reported as 1005); otherwise a 2-byte code, then UTF-8.
    private FrameError DeliverClose<THandler>(in ReadOnlySequence<byte> payload, ref THandler handler)
        where THandler : IWebSocketFrameHandler
    {
        ushort code = WebSocketCloseCodes.NoStatusReceived;
        ReadOnlySequence<byte> reason = ReadOnlySequence<byte>.Empty;
        if (!payload.IsEmpty)
        {
            var reader = new SequenceReader<byte>(payload);
            if (!reader.TryReadBigEndian(out short rawCode))
            {
                return FrameError.InvalidCloseFrame;
            }

            code = (ushort)rawCode;
            if (!WebSocketCloseCodes.IsValidReceived(code))
            {
                return FrameError.InvalidCloseCode;
            }

            reason = payload.Slice(2);
            if (!Utf8Validator.IsValid(reason))
            {
                return FrameError.InvalidCloseReason;
            }
        }

        _state = ReadState.Closed;
        handler.OnClose(code, reason);
        return FrameError.None;
    }
}
