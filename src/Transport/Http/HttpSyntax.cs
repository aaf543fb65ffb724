using System.Buffers;
using System.Text;

namespace FastRealtime.Transport.Http;

/// <summary>
/// Byte-level grammar shared by the request and response head parsers (RFC 9112 §2, §5; RFC 9110 §5.5, §5.6).
/// </summary>
/// <remarks>
/// Line endings: only CRLF is accepted. A bare LF (RFC 9112 §2.2 "MAY recognize") is rejected with 400 — one
/// terminator only means every hop agrees where a head ends, which closes a request-smuggling gap. A bare CR is
/// rejected as an invalid character wherever it appears.
/// </remarks>
internal static class HttpSyntax
{
    internal enum LineStatus : byte { Line, Incomplete, BareLf }

    /// <summary>tchar (RFC 9110 §5.6.2).</summary>
    private const string TCharList = "!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    private static readonly SearchValues<byte> TChars = SearchValues.Create(Encoding.ASCII.GetBytes(TCharList));

    private static readonly SearchValues<char> TCharsUtf16 = SearchValues.Create(TCharList);

    /// <summary>Bytes never allowed in a field value: CTLs except HTAB, and DEL (RFC 9110 §5.5).</summary>
    private static readonly SearchValues<byte> FieldValueForbidden = SearchValues.Create(
        [0, 1, 2, 3, 4, 5, 6, 7, 8, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 127]);

    /// <summary>Names that arrive on almost every upgrade or small request; reusing the instances saves an allocation each.</summary>
    private static readonly string[] KnownHeaderNames =
    [
        "Host", "Connection", "Upgrade", "Origin", "User-Agent", "Accept", "Accept-Encoding", "Accept-Language",
        "Content-Length", "Content-Type", "Transfer-Encoding", "Cookie", "Authorization", "Cache-Control", "Pragma",
        "Sec-WebSocket-Key", "Sec-WebSocket-Version", "Sec-WebSocket-Extensions", "Sec-WebSocket-Protocol",
        "Sec-WebSocket-Accept", "Date", "Server",
        "host", "connection", "upgrade", "origin", "user-agent", "accept", "content-length", "content-type",
        "sec-websocket-key", "sec-websocket-version", "sec-websocket-extensions", "sec-websocket-protocol",
        "sec-websocket-accept",
    ];

    private static ReadOnlySpan<byte> OptionalWhitespace => " \t"u8;

    internal static bool IsToken(ReadOnlySpan<byte> value) => !value.IsEmpty && value.IndexOfAnyExcept(TChars) < 0;

    internal static bool IsToken(ReadOnlySpan<char> value) => !value.IsEmpty && value.IndexOfAnyExcept(TCharsUtf16) < 0;

    /// <summary>field-content: HTAB, SP, VCHAR, obs-text.</summary>
    internal static bool IsFieldValue(ReadOnlySpan<byte> value) => value.IndexOfAny(FieldValueForbidden) < 0;

    /// <summary>Reads one CRLF-terminated line starting at <paramref name="pos"/>; the line excludes the CRLF.</summary>
    internal static LineStatus TryReadLine(ReadOnlySpan<byte> data, ref int pos, out ReadOnlySpan<byte> line)
    {
        ReadOnlySpan<byte> rest = data[pos..];
        int lf = rest.IndexOf((byte)'\n');
        if (lf < 0)
        {
            line = default;
            return LineStatus.Incomplete;
        }
        if (lf == 0 || rest[lf - 1] != (byte)'\r')
        {
            line = default;
            return LineStatus.BareLf;
        }
        line = rest[..(lf - 1)];
        pos += lf + 1;
        return LineStatus.Line;
    }

    /// <summary>
    /// Reads header lines up to and including the empty line. Returns Incomplete when the data ends first,
    /// Error with 400/431 and a reason otherwise. The count limit is checked per line, before the head is complete.
    /// </summary>
    internal static HttpParseStatus ReadHeaderFields(
        ReadOnlySpan<byte> data, ref int pos, HttpLimits limits, HttpHeaders headers, out int statusCode, out string? reason)
    {
        while (true)
        {
            switch (TryReadLine(data, ref pos, out ReadOnlySpan<byte> line))
            {
                case LineStatus.Incomplete:
                    return Fail(0, null, out statusCode, out reason, HttpParseStatus.Incomplete);
                case LineStatus.BareLf:
                    return Fail(400, "Line not terminated by CRLF", out statusCode, out reason);
            }
            if (line.IsEmpty)
            {
                return Fail(0, null, out statusCode, out reason, HttpParseStatus.Complete);
            }
            if (headers.Count >= limits.MaxHeaderCount)
            {
                return Fail(431, "Too many header fields", out statusCode, out reason);
            }
            if (line[0] is (byte)' ' or (byte)'\t')
            {
                // RFC 9112 §5.2: obs-fold in a request must be rejected (or replaced); we reject.
                return Fail(400, "Obsolete line folding", out statusCode, out reason);
            }
            int colon = line.IndexOf((byte)':');
            if (colon < 0)
            {
                return Fail(400, "Header field without colon", out statusCode, out reason);
            }
            ReadOnlySpan<byte> name = line[..colon];
            if (!IsToken(name))
            {
                // RFC 9112 §5.1: whitespace between field name and colon MUST be rejected with 400.
                return Fail(400, name.IndexOfAny(OptionalWhitespace) >= 0 ? "Whitespace in header field name" : "Invalid header field name",
                    out statusCode, out reason);
            }
            ReadOnlySpan<byte> value = line[(colon + 1)..].Trim(OptionalWhitespace);
            if (!IsFieldValue(value))
            {
                return Fail(400, "Invalid character in header field value", out statusCode, out reason);
            }
            headers.Add(HeaderName(name), Encoding.Latin1.GetString(value));
        }
    }

    /// <summary>
    /// Content-Length (RFC 9112 §6.3): digits only; repeated lines must agree. Returns false when invalid.
    /// </summary>
    internal static bool TryGetContentLength(HttpHeaders headers, out long? contentLength)
    {
        contentLength = null;
        foreach (string value in headers.GetValues("Content-Length"))
        {
            if (value.Length == 0 || value.Length > 18 || value.AsSpan().IndexOfAnyExceptInRange('0', '9') >= 0)
            {
                return false;
            }
            long parsed = long.Parse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture);
            if (contentLength is long previous && previous != parsed)
            {
                return false;
            }
            contentLength = parsed;
        }
        return true;
    }

    private static string HeaderName(ReadOnlySpan<byte> name)
    {
        foreach (string known in KnownHeaderNames)
        {
            if (known.Length == name.Length && Ascii.Equals(name, known))
            {
                return known;
            }
        }
        return Encoding.ASCII.GetString(name);
    }

    internal static HttpParseStatus Fail(int status, string? text, out int statusCode, out string? reason,
        HttpParseStatus result = HttpParseStatus.Error)
    {
        statusCode = status;
        reason = text;
        return result;
    }
}
