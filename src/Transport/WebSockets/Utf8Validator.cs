using System.Buffers;
using System.Text.Unicode;

namespace FastRealtime.Transport.WebSockets;

/// <summary>
/// Incremental UTF-8 validation (RFC 3629) for text messages that arrive in pieces: the state of a code point
/// split across chunks, frames or fragments is carried to the next <see cref="Append"/>.
/// </summary>
/// <remarks>
/// Fails fast, as RFC 6455 §8.1 lets an endpoint do: a byte that no continuation could make valid (an
/// overlong lead, a surrogate, a code point above U+10FFFF, a bad continuation) fails the call that sees it,
/// even when the message has not ended. Complete code points are checked in bulk by <see cref="Utf8.IsValid"/>;
/// only the few bytes of a code point cut by a chunk end go through the byte-wise state machine.
/// After <see cref="Append"/> returns false the state is undefined until <see cref="Reset"/>.
/// </remarks>
public struct Utf8Validator
{
    // Continuation bytes still owed by the code point begun in an earlier chunk; 0 at a code point boundary.
    private byte _pending;

    // Range allowed for the next continuation byte. The first one after E0, ED, F0 and F4 is narrower
    // (RFC 3629 §4), which is what rejects overlongs, surrogates and values above U+10FFFF on that byte.
    private byte _nextMin;
    private byte _nextMax;

    /// <summary>Validates the next chunk of the text.</summary>
    /// <param name="final">True for the last chunk: the text must then not end inside a code point.</param>
    /// <returns>False as soon as the text can no longer be valid UTF-8.</returns>
    public bool Append(ReadOnlySpan<byte> chunk, bool final)
    {
        int i = 0;
        while (_pending != 0 && i < chunk.Length)
        {
            if (!AcceptContinuation(chunk[i++]))
            {
                return false;
            }
        }

        if (i < chunk.Length)
        {
            ReadOnlySpan<byte> rest = chunk[i..];
            int complete = LengthOfCompleteCodePoints(rest);
            if (!Utf8.IsValid(rest[..complete]))
            {
                return false;
            }

            foreach (byte b in rest[complete..])
            {
                if (!(_pending == 0 ? AcceptLead(b) : AcceptContinuation(b)))
                {
                    return false;
                }
            }
        }

        return !final || _pending == 0;
    }

    /// <summary>Validates a whole text held in one or more segments.</summary>
    public static bool IsValid(in ReadOnlySequence<byte> text)
    {
        if (text.IsSingleSegment)
        {
            return Utf8.IsValid(text.FirstSpan);
        }

        var validator = default(Utf8Validator);
        foreach (ReadOnlyMemory<byte> segment in text)
        {
            if (!validator.Append(segment.Span, final: false))
            {
                return false;
            }
        }

        return validator.Append(default, final: true);
    }

    /// <summary>Forgets any partial code point, ready for a new text.</summary>
    public void Reset() => this = default;

    // Length of the prefix that does not end inside a multi-byte sequence: the cut falls before a lead byte in the
    // last 3 bytes whose sequence would run past the end. Invalid bytes are left in the prefix for IsValid to reject.
    private static int LengthOfCompleteCodePoints(ReadOnlySpan<byte> text)
    {
        int stop = Math.Max(0, text.Length - 3);
        for (int i = text.Length - 1; i >= stop; i--)
        {
            byte b = text[i];
            if ((b & 0xC0) == 0x80)
            {
                continue;
            }

            int sequenceLength = b switch
            {
                >= 0xC2 and <= 0xDF => 2,
                >= 0xE0 and <= 0xEF => 3,
                >= 0xF0 and <= 0xF4 => 4,
                _ => 1,
            };
            return i + sequenceLength > text.Length ? i : text.Length;
        }

        return text.Length;
    }

    private bool AcceptLead(byte b)
    {
        switch (b)
        {
            case < 0x80:
                return true;
            case >= 0xC2 and <= 0xDF:
                Expect(1, 0x80, 0xBF);
                return true;
            case 0xE0:
                Expect(2, 0xA0, 0xBF); // below A0 would be an overlong encoding
                return true;
            case 0xED:
                Expect(2, 0x80, 0x9F); // A0 and up would encode a surrogate D800-DFFF
                return true;
            case >= 0xE1 and <= 0xEF:
                Expect(2, 0x80, 0xBF);
                return true;
            case 0xF0:
                Expect(3, 0x90, 0xBF); // below 90 would be an overlong encoding
                return true;
            case >= 0xF1 and <= 0xF3:
                Expect(3, 0x80, 0xBF);
                return true;
            case 0xF4:
                Expect(3, 0x80, 0x8F); // 90 and up would be above U+10FFFF
                return true;
            default:
                return false; // continuation without a lead, C0/C1 (always overlong), F5-FF (never valid)
        }
    }

    private bool AcceptContinuation(byte b)
    {
        if (b < _nextMin || b > _nextMax)
        {
            return false;
        }

        _pending--;
        _nextMin = 0x80;
        _nextMax = 0xBF;
        return true;
    }

    private void Expect(byte continuationBytes, byte min, byte max)
    {
        _pending = continuationBytes;
        _nextMin = min;
        _nextMax = max;
    }
}
