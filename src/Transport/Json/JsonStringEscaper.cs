using System.Text;

namespace FastRealtime.Transport.Json;

/// <summary>
/// Writes a .NET string as the inside of a JSON string literal in UTF-8 (RFC 8259 §7): only <c>"</c>, <c>\</c> and
/// control characters are escaped; everything else is written as UTF-8, which JSON allows and is shortest.
/// </summary>
/// <remarks>Allocation-free; a lone surrogate becomes U+FFFD (a JSON text must be valid Unicode).</remarks>
public static class JsonStringEscaper
{
    public static int GetEscapedLength(ReadOnlySpan<char> value)
    {
        int length = 0;
        for (int i = 0; i < value.Length; i++)
        {
            char c = value[i];
            if (c < 0x80)
            {
                length += EscapedAsciiLength(c);
                continue;
            }
            Rune.DecodeFromUtf16(value[i..], out var rune, out int consumed);
            length += rune.Utf8SequenceLength;
            i += consumed - 1;
        }
        return length;
    }

    /// <returns>Bytes written; <paramref name="destination"/> must hold <see cref="GetEscapedLength"/> bytes.</returns>
    public static int Write(Span<byte> destination, ReadOnlySpan<char> value)
    {
        int at = 0;
        for (int i = 0; i < value.Length; i++)
        {
            char c = value[i];
            if (c < 0x80)
            {
                at += WriteAscii(destination[at..], c);
                continue;
            }
            Rune.DecodeFromUtf16(value[i..], out var rune, out int consumed);
            at += rune.EncodeToUtf8(destination[at..]);
            i += consumed - 1;
        }
        return at;
    }

    private static int EscapedAsciiLength(char c) => c switch
    {
        '"' or '\\' or '\b' or '\f' or '\n' or '\r' or '\t' => 2,
        < ' ' => 6,
        _ => 1,
    };

    private static int WriteAscii(Span<byte> destination, char c)
    {
        char shortForm = c switch
        {
            '"' => '"',
            '\\' => '\\',
            '\b' => 'b',
            '\f' => 'f',
            '\n' => 'n',
            '\r' => 'r',
            '\t' => 't',
            _ => '\0',
        };
        if (shortForm != '\0')
        {
            destination[0] = (byte)'\\';
            destination[1] = (byte)shortForm;
            return 2;
        }
        if (c >= ' ')
        {
            destination[0] = (byte)c;
            return 1;
        }
        // Other control characters: \u00XX.
        destination[0] = (byte)'\\';
        destination[1] = (byte)'u';
        destination[2] = (byte)'0';
        destination[3] = (byte)'0';
        destination[4] = (byte)"0123456789abcdef"[c >> 4];
        destination[5] = (byte)"0123456789abcdef"[c & 0xF];
        return 6;
    }
}
