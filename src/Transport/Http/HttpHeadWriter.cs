using System.Buffers;
using System.Text;

namespace FastRealtime.Transport.Http;

/// <summary>
/// Writes the pieces of an HTTP/1.1 head into an <see cref="IBufferWriter{T}"/>. Names and values given by callers
/// are checked, so a CR or LF can never inject a header or split a response; such input is a programming error
/// and throws <see cref="ArgumentException"/>.
/// </summary>
internal static class HttpHeadWriter
{
    internal static void WriteStatusLine(IBufferWriter<byte> output, int statusCode)
    {
        if (statusCode is < 100 or > 599)
        {
            throw new ArgumentOutOfRangeException(nameof(statusCode), statusCode, "HTTP status codes are 100-599.");
        }
        Write(output, "HTTP/1.1 "u8);
        Span<byte> code = output.GetSpan(4);
        code[0] = (byte)('0' + statusCode / 100);
        code[1] = (byte)('0' + statusCode / 10 % 10);
        code[2] = (byte)('0' + statusCode % 10);
        code[3] = (byte)' ';
        output.Advance(4);
        WriteLatin1(output, HttpResponseWriter.ReasonPhrase(statusCode));
        WriteCrlf(output);
    }

    /// <summary>Writes "name: value\r\n" after validating both.</summary>
    internal static void WriteHeader(IBufferWriter<byte> output, string name, string value)
    {
        if (!HttpSyntax.IsToken(name.AsSpan()))
        {
            throw new ArgumentException($"'{name}' is not a valid header field name.", nameof(name));
        }
        foreach (char c in value)
        {
            if (c > 0xFF || c == 0x7F || (c < 0x20 && c != '\t'))
            {
                throw new ArgumentException($"Header '{name}' has a value with a control or non-Latin-1 character.", nameof(value));
            }
        }
        WriteLatin1(output, name);
        Write(output, ": "u8);
        WriteLatin1(output, value.Trim(' ', '\t'));
        WriteCrlf(output);
    }

    /// <summary>Writes a header whose name (with ": ") is a trusted literal and whose value is known to be clean.</summary>
    internal static void WriteTrustedHeader(IBufferWriter<byte> output, ReadOnlySpan<byte> nameColonSpace, ReadOnlySpan<byte> value)
    {
        Write(output, nameColonSpace);
        Write(output, value);
        WriteCrlf(output);
    }

    internal static void WriteTrustedHeader(IBufferWriter<byte> output, ReadOnlySpan<byte> nameColonSpace, long value)
    {
        Write(output, nameColonSpace);
        Span<byte> digits = output.GetSpan(20);
        value.TryFormat(digits, out int written, default, System.Globalization.CultureInfo.InvariantCulture);
        output.Advance(written);
        WriteCrlf(output);
    }

    internal static void WriteExtraHeaders(IBufferWriter<byte> output, IEnumerable<KeyValuePair<string, string>>? headers)
    {
        if (headers is null)
        {
            return;
        }
        foreach (KeyValuePair<string, string> header in headers)
        {
            WriteHeader(output, header.Key, header.Value);
        }
    }

    internal static void WriteCrlf(IBufferWriter<byte> output) => Write(output, "\r\n"u8);

    internal static void Write(IBufferWriter<byte> output, ReadOnlySpan<byte> bytes)
    {
        if (!bytes.IsEmpty)
        {
            output.Write(bytes);
        }
    }

    /// <summary>Strings here are validated or literal, so each char is one Latin-1 byte.</summary>
    internal static void WriteLatin1(IBufferWriter<byte> output, string text)
    {
        if (text.Length == 0)
        {
            return;
        }
        Span<byte> span = output.GetSpan(text.Length);
        int written = Encoding.Latin1.GetBytes(text, span);
        output.Advance(written);
    }
}
