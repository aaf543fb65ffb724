using System.Buffers;
using System.Text;

namespace FastRealtime.Transport.Http;

/// <summary>
/// Strict, bounded HTTP/1.1 request-head parser (RFC 9112). Synchronous, no I/O, stateless: call it with all the
/// bytes received so far; it consumes exactly the head (through the empty line) and leaves any body or pipelined
/// request in the buffer.
/// </summary>
/// <remarks>
/// Choices where the RFC allows several: only CRLF ends a line (bare LF → 400); obs-fold → 400; empty lines before
/// the request-line are skipped (§2.2); HTTP/1.1 requires exactly one Host and any request more than one (§3.2);
/// Content-Length and Transfer-Encoding together → 400 (§6.1); a transfer coding other than a single final
/// "chunked" → 501 if unknown, 400 if chunked is not last or appears in HTTP/1.0; a declared Content-Length over
/// <see cref="HttpLimits.MaxBodyBytes"/> → 413. A request-target longer than the head limit gets 431 (no separate 414).
/// </remarks>
public static class HttpRequestHeadParser
{
    /// <summary>
    /// Parses one request head from the start of <paramref name="buffer"/>. On Complete, <paramref name="buffer"/>
    /// is sliced past the head. On Incomplete or Error it is unchanged; on Error, <paramref name="statusCode"/> is
    /// 400, 413, 431, 501 or 505 and <paramref name="reason"/> a short text for the response body.
    /// </summary>
    public static HttpParseStatus TryParse(ref ReadOnlySequence<byte> buffer, HttpLimits limits,
        out HttpRequestHead? head, out int statusCode, out string? reason)
    {
        ArgumentNullException.ThrowIfNull(limits);
        head = null;
        using var window = new HttpHeadWindow(buffer, limits.MaxRequestHeadBytes);
        int consumed = 0;
        HttpParseStatus status = ParseHead(window.Span, ref consumed, limits, out head, out statusCode, out reason);
        if (status == HttpParseStatus.Incomplete && window.LimitReached)
        {
            return HttpSyntax.Fail(431, "Request header fields too large", out statusCode, out reason);
        }
        if (status == HttpParseStatus.Complete)
        {
            buffer = buffer.Slice(consumed);
        }
        return status;
    }

    private static HttpParseStatus ParseHead(ReadOnlySpan<byte> data, ref int pos, HttpLimits limits,
        out HttpRequestHead? head, out int statusCode, out string? reason)
    {
        head = null;
        while (data.Length - pos >= 2 && data[pos] == (byte)'\r' && data[pos + 1] == (byte)'\n')
        {
            pos += 2;
        }
        switch (HttpSyntax.TryReadLine(data, ref pos, out ReadOnlySpan<byte> requestLine))
        {
            case HttpSyntax.LineStatus.Incomplete:
                return IsImpossibleMethodPrefix(data[pos..])
                    ? HttpSyntax.Fail(400, "Invalid method", out statusCode, out reason)
                    : HttpSyntax.Fail(0, null, out statusCode, out reason, HttpParseStatus.Incomplete);
            case HttpSyntax.LineStatus.BareLf:
                return HttpSyntax.Fail(400, "Line not terminated by CRLF", out statusCode, out reason);
        }
        HttpParseStatus status = ParseRequestLine(requestLine, out string method, out ReadOnlySpan<byte> target,
            out bool isHttp11, out statusCode, out reason);
        if (status != HttpParseStatus.Complete)
        {
            return status;
        }
        status = SplitTarget(target, method, out string targetText, out string path, out string query, out statusCode, out reason);
        if (status != HttpParseStatus.Complete)
        {
            return status;
        }
        var headers = new HttpHeaders(16);
        status = HttpSyntax.ReadHeaderFields(data, ref pos, limits, headers, out statusCode, out reason);
        if (status != HttpParseStatus.Complete)
        {
            return status;
        }
        return Interpret(method, targetText, path, query, isHttp11, headers, limits, out head, out statusCode, out reason);
    }

    /// <summary>
    /// True when a partial request line can already never become valid because its method part holds a non-token
    /// byte — e.g. a TLS ClientHello (0x16 ...) sent to the plain port — so it is refused at once rather than after
    /// the header timeout. A lone CR may still become a skipped empty line.
    /// </summary>
    private static bool IsImpossibleMethodPrefix(ReadOnlySpan<byte> partialLine)
    {
        int space = partialLine.IndexOf((byte)' ');
        ReadOnlySpan<byte> method = space < 0 ? partialLine : partialLine[..space];
        return !method.IsEmpty && !(method.Length == 1 && method[0] == (byte)'\r') && !HttpSyntax.IsToken(method);
    }

    /// <summary>request-line = method SP request-target SP HTTP-version (RFC 9112 §3), single spaces only.</summary>
    private static HttpParseStatus ParseRequestLine(ReadOnlySpan<byte> line, out string method, out ReadOnlySpan<byte> target,
        out bool isHttp11, out int statusCode, out string? reason)
    {
        method = string.Empty;
        target = default;
        isHttp11 = false;
        int sp1 = line.IndexOf((byte)' ');
        if (sp1 < 0)
        {
            return HttpSyntax.Fail(400, "Malformed request line", out statusCode, out reason);
        }
        ReadOnlySpan<byte> methodBytes = line[..sp1];
        if (!HttpSyntax.IsToken(methodBytes))
        {
            return HttpSyntax.Fail(400, "Invalid method", out statusCode, out reason);
        }
        ReadOnlySpan<byte> rest = line[(sp1 + 1)..];
        int sp2 = rest.IndexOf((byte)' ');
        if (sp2 < 0)
        {
            return HttpSyntax.Fail(400, "Malformed request line", out statusCode, out reason);
        }
        target = rest[..sp2];
        // Visible ASCII only; also rejects an empty target and a doubled space.
        if (target.IsEmpty || target.IndexOfAnyExceptInRange((byte)0x21, (byte)0x7E) >= 0 || target.IndexOf((byte)'#') >= 0)
        {
            return HttpSyntax.Fail(400, "Invalid request target", out statusCode, out reason);
        }
        ReadOnlySpan<byte> version = rest[(sp2 + 1)..];
        if (version.Length != 8 || !version.StartsWith("HTTP/"u8) || !char.IsAsciiDigit((char)version[5])
            || version[6] != (byte)'.' || !char.IsAsciiDigit((char)version[7]))
        {
            return HttpSyntax.Fail(400, "Invalid HTTP version", out statusCode, out reason);
        }
        if (version[5] != (byte)'1')
        {
            return HttpSyntax.Fail(505, "HTTP version not supported", out statusCode, out reason);
        }
        isHttp11 = version[7] != (byte)'0';
        method = MethodName(methodBytes);
        return HttpSyntax.Fail(0, null, out statusCode, out reason, HttpParseStatus.Complete);
    }

    /// <summary>origin-form, absolute-form, or asterisk-form for OPTIONS (RFC 9112 §3.2). authority-form (CONNECT) is refused.</summary>
    private static HttpParseStatus SplitTarget(ReadOnlySpan<byte> target, string method, out string targetText,
        out string path, out string query, out int statusCode, out string? reason)
    {
        targetText = Encoding.ASCII.GetString(target);
        path = query = string.Empty;
        int pathStart;
        if (target[0] == (byte)'/')
        {
            pathStart = 0;
        }
        else if (target.Length == 1 && target[0] == (byte)'*')
        {
            if (method != KnownMethods.Options)
            {
                return HttpSyntax.Fail(400, "Asterisk target is only valid for OPTIONS", out statusCode, out reason);
            }
            path = targetText;
            return HttpSyntax.Fail(0, null, out statusCode, out reason, HttpParseStatus.Complete);
        }
        else if (!TryFindAbsoluteFormPath(target, out pathStart))
        {
            return HttpSyntax.Fail(400, "Invalid request target", out statusCode, out reason);
        }
        ReadOnlySpan<char> afterAuthority = targetText.AsSpan(pathStart);
        int question = afterAuthority.IndexOf('?');
        ReadOnlySpan<char> pathPart = question < 0 ? afterAuthority : afterAuthority[..question];
        path = pathStart == 0 && question < 0 ? targetText : pathPart.IsEmpty ? "/" : new string(pathPart);
        query = question < 0 ? string.Empty : new string(afterAuthority[(question + 1)..]);
        return HttpSyntax.Fail(0, null, out statusCode, out reason, HttpParseStatus.Complete);
    }

    /// <summary>absolute-URI: scheme "://" authority [path] — returns where the path (or '?') starts.</summary>
    private static bool TryFindAbsoluteFormPath(ReadOnlySpan<byte> target, out int pathStart)
    {
        pathStart = 0;
        int schemeEnd = target.IndexOf("://"u8);
        if (schemeEnd <= 0 || !char.IsAsciiLetter((char)target[0]))
        {
            return false;
        }
        foreach (byte b in target[..schemeEnd])
        {
            if (!char.IsAsciiLetterOrDigit((char)b) && b is not ((byte)'+' or (byte)'-' or (byte)'.'))
            {
                return false;
            }
        }
        int authorityStart = schemeEnd + 3;
        int authorityLength = target[authorityStart..].IndexOfAny((byte)'/', (byte)'?');
        if (authorityLength == 0)
        {
            return false;
        }
        pathStart = authorityLength < 0 ? target.Length : authorityStart + authorityLength;
        return true;
    }

    private static HttpParseStatus Interpret(string method, string target, string path, string query, bool isHttp11,
        HttpHeaders headers, HttpLimits limits, out HttpRequestHead? head, out int statusCode, out string? reason)
    {
        head = null;
        int hosts = headers.CountOf("Host");
        if (hosts > 1 || (hosts == 0 && isHttp11))
        {
            return HttpSyntax.Fail(400, hosts > 1 ? "Multiple Host headers" : "Missing Host header", out statusCode, out reason);
        }
        if (!HttpSyntax.TryGetContentLength(headers, out long? contentLength))
        {
            return HttpSyntax.Fail(400, "Invalid Content-Length", out statusCode, out reason);
        }
        HttpParseStatus status = ReadTransferEncoding(headers, isHttp11, contentLength.HasValue, out bool isChunked, out statusCode, out reason);
        if (status != HttpParseStatus.Complete)
        {
            return status;
        }
        if (contentLength > limits.MaxBodyBytes)
        {
            return HttpSyntax.Fail(413, "Content too large", out statusCode, out reason);
        }
        bool keepAlive = isHttp11
            ? !headers.ContainsToken("Connection", "close")
            : headers.ContainsToken("Connection", "keep-alive") && !headers.ContainsToken("Connection", "close");
        head = new HttpRequestHead(method, target, path, query, isHttp11, headers, contentLength, isChunked, keepAlive);
        return HttpSyntax.Fail(0, null, out statusCode, out reason, HttpParseStatus.Complete);
    }

    /// <summary>RFC 9112 §6.1 and §6.3: only "chunked", exactly once and last; never with Content-Length or in HTTP/1.0.</summary>
    private static HttpParseStatus ReadTransferEncoding(HttpHeaders headers, bool isHttp11, bool hasContentLength,
        out bool isChunked, out int statusCode, out string? reason)
    {
        isChunked = false;
        bool any = false;
        bool unknownCoding = false;
        int chunkedCount = 0;
        bool chunkedLast = false;
        foreach (string value in headers.GetValues("Transfer-Encoding"))
        {
            any = true;
            foreach (Range range in value.AsSpan().Split(','))
            {
                ReadOnlySpan<char> coding = value.AsSpan(range).Trim(" \t");
                if (coding.IsEmpty)
                {
                    continue;
                }
                chunkedLast = coding.Equals("chunked", StringComparison.OrdinalIgnoreCase);
                chunkedCount += chunkedLast ? 1 : 0;
                unknownCoding |= !chunkedLast;
            }
        }
        if (!any)
        {
            return HttpSyntax.Fail(0, null, out statusCode, out reason, HttpParseStatus.Complete);
        }
        if (hasContentLength)
        {
            return HttpSyntax.Fail(400, "Both Content-Length and Transfer-Encoding", out statusCode, out reason);
        }
        if (!isHttp11)
        {
            return HttpSyntax.Fail(400, "Transfer-Encoding in HTTP/1.0", out statusCode, out reason);
        }
        if (!chunkedLast || chunkedCount != 1)
        {
            return HttpSyntax.Fail(400, "Transfer-Encoding must end with a single chunked", out statusCode, out reason);
        }
        if (unknownCoding)
        {
            return HttpSyntax.Fail(501, "Unsupported transfer coding", out statusCode, out reason);
        }
        isChunked = true;
        return HttpSyntax.Fail(0, null, out statusCode, out reason, HttpParseStatus.Complete);
    }

    private static string MethodName(ReadOnlySpan<byte> method) => method switch
    {
        _ when method.SequenceEqual("GET"u8) => KnownMethods.Get,
        _ when method.SequenceEqual("POST"u8) => KnownMethods.Post,
        _ when method.SequenceEqual("PUT"u8) => KnownMethods.Put,
        _ when method.SequenceEqual("DELETE"u8) => KnownMethods.Delete,
        _ when method.SequenceEqual("HEAD"u8) => KnownMethods.Head,
        _ when method.SequenceEqual("OPTIONS"u8) => KnownMethods.Options,
        _ when method.SequenceEqual("PATCH"u8) => KnownMethods.Patch,
        _ => Encoding.ASCII.GetString(method),
    };
}
