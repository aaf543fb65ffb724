using System.Buffers;
using System.Text;

namespace FastRealtime.Transport.Http;

/// <summary>application/x-www-form-urlencoded style query reading: <c>a=1&amp;b=x%20y+z</c>.</summary>
internal static class HttpQuery
{
    /// <summary>First value for <paramref name="name"/> (keys compared after decoding, case-sensitive), or null.
    /// A key without '=' has the value "".</summary>
    internal static string? GetValue(string query, string name)
    {
        ReadOnlySpan<char> rest = query;
        while (!rest.IsEmpty)
        {
            int amp = rest.IndexOf('&');
            ReadOnlySpan<char> pair = amp < 0 ? rest : rest[..amp];
            rest = amp < 0 ? default : rest[(amp + 1)..];
            int eq = pair.IndexOf('=');
            ReadOnlySpan<char> key = eq < 0 ? pair : pair[..eq];
            bool matches = NeedsDecoding(key) ? Decode(key) == name : key.SequenceEqual(name);
            if (matches)
            {
                return eq < 0 ? string.Empty : Decode(pair[(eq + 1)..]);
            }
        }
        return null;
    }

    /// <summary>Percent-decodes UTF-8 and turns '+' into space. A '%' not followed by two hex digits stays literal;
    /// invalid UTF-8 becomes U+FFFD.</summary>
    internal static string Decode(ReadOnlySpan<char> encoded)
    {
        if (!NeedsDecoding(encoded))
        {
            return new string(encoded);
        }
        byte[]? rented = null;
        // Worst case three UTF-8 bytes per char.
        Span<byte> bytes = encoded.Length <= 85 ? stackalloc byte[256] : (rented = ArrayPool<byte>.Shared.Rent(encoded.Length * 3));
        int n = 0;
        for (int i = 0; i < encoded.Length; i++)
        {
            char c = encoded[i];
            if (c == '+')
            {
                bytes[n++] = (byte)' ';
            }
            else if (c == '%' && i + 2 < encoded.Length && char.IsAsciiHexDigit(encoded[i + 1]) && char.IsAsciiHexDigit(encoded[i + 2]))
            {
                bytes[n++] = (byte)((HexValue(encoded[i + 1]) << 4) | HexValue(encoded[i + 2]));
                i += 2;
            }
            else
            {
                // Characters of a raw target are ASCII; anything else is encoded as UTF-8 to stay lossless.
                n += c < 0x80 ? WriteAscii(bytes, n, c) : Encoding.UTF8.GetBytes(encoded.Slice(i, 1), bytes[n..]);
            }
        }
        string result = Encoding.UTF8.GetString(bytes[..n]);
        if (rented is not null)
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
        return result;
    }

    private static int WriteAscii(Span<byte> bytes, int at, char c)
    {
        bytes[at] = (byte)c;
        return 1;
    }

    private static bool NeedsDecoding(ReadOnlySpan<char> s) => s.IndexOfAny('%', '+') >= 0;

    private static int HexValue(char c) => c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
}
