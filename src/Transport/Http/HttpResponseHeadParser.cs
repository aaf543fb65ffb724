using System.Buffers;
using System.Text;

namespace FastRealtime.Transport.Http;

/// <summary>
/// Strict, bounded HTTP/1.x response-head parser for the client role (RFC 9112 §4). Same rules and limits as
/// <see cref="HttpRequestHeadParser"/> (CRLF only, no obs-fold, tchar names, <see cref="HttpLimits.MaxRequestHeadBytes"/>
/// and <see cref="HttpLimits.MaxHeaderCount"/> bound the head). Consumes only the head, so WebSocket frames a
/// server sends right after its 101 stay in the buffer.
/// </summary>
public static class HttpResponseHeadParser
{
    /// <summary>On Complete, <paramref name="buffer"/> is sliced past the head; otherwise unchanged.
    /// On Error, <paramref name="error"/> says why.</summary>
    public static HttpParseStatus TryParse(ref ReadOnlySequence<byte> buffer, HttpLimits limits,
        out HttpResponseHead? head, out string? error)
    {
        ArgumentNullException.ThrowIfNull(limits);
        head = null;
        using var window = new HttpHeadWindow(buffer, limits.MaxRequestHeadBytes);
        int consumed = 0;
        HttpParseStatus status = ParseHead(window.Span, ref consumed, limits, out head, out error);
        if (status == HttpParseStatus.Incomplete && window.LimitReached)
        {
            error = "Response head too large";
            return HttpParseStatus.Error;
        }
        if (status == HttpParseStatus.Complete)
        {
            buffer = buffer.Slice(consumed);
        }
        return status;
    }

    private static HttpParseStatus ParseHead(ReadOnlySpan<byte> data, ref int pos, HttpLimits limits,
        out HttpResponseHead? head, out string? error)
    {
        head = null;
        switch (HttpSyntax.TryReadLine(data, ref pos, out ReadOnlySpan<byte> statusLine))
        {
            case HttpSyntax.LineStatus.Incomplete:
                error = null;
                return HttpParseStatus.Incomplete;
            case HttpSyntax.LineStatus.BareLf:
                error = "Line not terminated by CRLF";
                return HttpParseStatus.Error;
        }
        if (!TryParseStatusLine(statusLine, out bool isHttp11, out int statusCode, out string reasonPhrase, out error))
        {
            return HttpParseStatus.Error;
        }
        var headers = new HttpHeaders(8);
        HttpParseStatus status = HttpSyntax.ReadHeaderFields(data, ref pos, limits, headers, out _, out error);
        if (status != HttpParseStatus.Complete)
        {
            return status;
        }
        if (!HttpSyntax.TryGetContentLength(headers, out long? contentLength))
        {
            error = "Invalid Content-Length";
            return HttpParseStatus.Error;
        }
        head = new HttpResponseHead(statusCode, reasonPhrase, isHttp11, headers, contentLength);
        return HttpParseStatus.Complete;
    }

    /// <summary>status-line = HTTP-version SP 3DIGIT SP [reason-phrase]. A missing final SP is tolerated
    /// (RFC 9112 §4 asks recipients to accept an absent reason phrase).</summary>
    private static bool TryParseStatusLine(ReadOnlySpan<byte> line, out bool isHttp11, out int statusCode,
        out string reasonPhrase, out string? error)
    {
        isHttp11 = false;
        statusCode = 0;
        reasonPhrase = string.Empty;
        error = null;
        if (line.Length < 12 || !line.StartsWith("HTTP/1."u8) || !char.IsAsciiDigit((char)line[7]) || line[8] != (byte)' ')
        {
            error = line.StartsWith("HTTP/"u8) && !line.StartsWith("HTTP/1."u8) ? "HTTP version not supported" : "Malformed status line";
            return false;
        }
        ReadOnlySpan<byte> code = line.Slice(9, 3);
        if (code.IndexOfAnyExceptInRange((byte)'0', (byte)'9') >= 0 || code[0] is < (byte)'1' or > (byte)'5'
            || (line.Length > 12 && line[12] != (byte)' '))
        {
            error = "Malformed status code";
            return false;
        }
        ReadOnlySpan<byte> reason = line.Length > 12 ? line[13..] : default;
        if (!HttpSyntax.IsFieldValue(reason))
        {
            error = "Invalid character in reason phrase";
            return false;
        }
        isHttp11 = line[7] != (byte)'0';
        statusCode = (code[0] - '0') * 100 + (code[1] - '0') * 10 + (code[2] - '0');
        reasonPhrase = reason.IsEmpty ? string.Empty : Encoding.Latin1.GetString(reason);
        return true;
    }
}
