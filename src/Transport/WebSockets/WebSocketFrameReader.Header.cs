using System.Buffers;
using System.Buffers.Binary;

namespace FastRealtime.Transport.WebSockets;

public sealed partial class WebSocketFrameReader
{
    // Opcodes RFC 6455 §5.2 defines: 0x0-0x2 and 0x8-0xA, one bit each.
    private const int DefinedOpcodes = 0b0000_0111_0000_0111;

    // A header is at most 14 bytes, so it is never consumed piecemeal: it is re-read from the start of the
    // buffer until complete. Each rule is checked as soon as the bytes it needs are present, so a bad first byte
    // fails before the second arrives and an over-limit length fails before the mask key or payload.
    private FrameError ParseHeader(in ReadOnlySequence<byte> buffer, out int headerLength)
    {
        Span<byte> scratch = stackalloc byte[WebSocketFrameWriter.MaxHeaderSize];
        scoped ReadOnlySpan<byte> header = buffer.FirstSpan;
        if (header.Length < WebSocketFrameWriter.MaxHeaderSize && !buffer.IsSingleSegment)
        {
            int available = (int)Math.Min(buffer.Length, WebSocketFrameWriter.MaxHeaderSize);
            buffer.Slice(0, available).CopyTo(scratch);
            header = scratch[..available];
        }

        return ParseHeader(header, out headerLength);
    }

    private FrameError ParseHeader(ReadOnlySpan<byte> header, out int headerLength)
    {
        headerLength = 0;
        if (header.IsEmpty)
        {
            return FrameError.None;
        }

        byte first = header[0];
        bool fin = (first & 0x80) != 0;
        bool rsv1 = (first & 0x40) != 0;
        var opcode = (WebSocketOpcode)(first & 0x0F);
        bool control = WebSocketFrameWriter.IsControl(opcode);

        // §5.2: RSV bits MUST be 0 unless an extension defines them; RFC 7692 §6 allows RSV1 only on the
        // first frame of a data message.
        if ((first & 0x30) != 0 || (rsv1 && (!AllowRsv1 || control || opcode == WebSocketOpcode.Continuation)))
        {
            return FrameError.ReservedBitsSet;
        }

        if ((DefinedOpcodes & (1 << (int)opcode)) == 0)
        {
            return FrameError.ReservedOpcode;
        }

        if (control && !fin)
        {
            return FrameError.ControlFrameFragmented; // §5.5: control frames MUST NOT be fragmented
        }

        if (opcode == WebSocketOpcode.Continuation && !_messageInProgress)
        {
            return FrameError.UnexpectedContinuation;
        }

        if (!control && opcode != WebSocketOpcode.Continuation && _messageInProgress)
        {
            return FrameError.ContinuationExpected; // §5.4: fragments of different messages MUST NOT interleave
        }

        if (header.Length < 2)
        {
            return FrameError.None;
        }

        byte second = header[1];
        bool masked = (second & 0x80) != 0;
        int length7 = second & 0x7F;
        if (masked != (_role == WebSocketRole.Server))
        {
            return _role == WebSocketRole.Server ? FrameError.MaskRequired : FrameError.MaskNotAllowed;
        }

        if (control && length7 > WebSocketFrameWriter.MaxControlPayloadLength)
        {
            return FrameError.ControlFrameTooLong;
        }

        int lengthBytes = length7 switch { 126 => 2, 127 => 8, _ => 0 };
        if (header.Length < 2 + lengthBytes)
        {
            return FrameError.None;
        }

        // Non-minimal length encodings are accepted, as ws and ManagedWebSocket do.
        long payloadLength = lengthBytes switch
        {
            0 => length7,
            2 => BinaryPrimitives.ReadUInt16BigEndian(header[2..]),
            _ => BinaryPrimitives.ReadInt64BigEndian(header[2..]),
        };
        if (payloadLength < 0)
        {
            return FrameError.PayloadLengthHighBitSet; // §5.2: the most significant bit MUST be 0
        }

        FrameError limitError = CheckLimits(opcode, payloadLength);
        if (limitError != FrameError.None)
        {
            return limitError;
        }

        int size = 2 + lengthBytes + (masked ? 4 : 0);
        if (header.Length < size)
        {
            return FrameError.None;
        }

        _opcode = opcode;
        _fin = fin;
        _rsv1 = rsv1;
        _masked = masked;
        _maskKey = masked ? BinaryPrimitives.ReadUInt32LittleEndian(header[(2 + lengthBytes)..]) : 0;
        _maskOffset = 0;
        _payloadLength = payloadLength;
        _payloadDone = 0;
        headerLength = size;
        return FrameError.None;
    }

    private FrameError CheckLimits(WebSocketOpcode opcode, long payloadLength)
    {
        if (WebSocketFrameWriter.IsControl(opcode))
        {
            return FrameError.None; // already bounded to 125 bytes
        }

        if (payloadLength > _maxFrameSize)
        {
            return FrameError.FrameTooBig;
        }

        if (opcode != WebSocketOpcode.Continuation)
        {
            return payloadLength > _maxMessageSize ? FrameError.MessageTooBig : FrameError.None;
        }

        if (_messageLength + payloadLength > _maxMessageSize)
        {
            return FrameError.MessageTooBig;
        }

        return _fragments >= _maxFragmentsPerMessage ? FrameError.TooManyFragments : FrameError.None;
    }

    // Chooses how the payload of the frame whose header was just consumed is read.
    private void StartPayload()
    {
        FramesRead++;
        if (WebSocketFrameWriter.IsControl(_opcode))
        {
            _validateUtf8 = false; // a close reason is checked whole when the frame is complete
            _state = ReadState.InPlacePayload;
            return;
        }

        if (_opcode != WebSocketOpcode.Continuation)
        {
            _messageKind = _opcode == WebSocketOpcode.Text ? WebSocketMessageKind.Text : WebSocketMessageKind.Binary;
            _messageCompressed = _rsv1;
            _messageLength = 0;
            _fragments = 0;
            _utf8.Reset();
        }

        _validateUtf8 = _messageKind == WebSocketMessageKind.Text && !_messageCompressed;
        if (_opcode != WebSocketOpcode.Continuation && _fin && _payloadLength <= _maxInPlaceFrameSize)
        {
            _state = ReadState.InPlacePayload;
            return;
        }

        _messageInProgress = true;
        _messageLength += _payloadLength;
        _fragments++;
        _state = ReadState.StreamedPayload;
    }
}
