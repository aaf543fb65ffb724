using System.Buffers;

namespace FastRealtime.Transport.Http;

/// <summary>
/// Writes small, complete HTTP/1.1 responses (health, metrics, errors, long-polling answers). Every response carries
/// Date, Content-Length (except 1xx/204/304, which have no body) and an explicit Connection header.
/// </summary>
public static class HttpResponseWriter
{
    public const string TextPlain = "text/plain; charset=utf-8";

    /// <summary>Status line, Date, Content-Type (when the body is not empty), Content-Length, Connection, the extra
    /// headers, the empty line, then the body.</summary>
    /// <exception cref="ArgumentException">An extra header name or value is invalid (e.g. contains CR/LF), or a
    /// body is given for a status that cannot have one.</exception>
    public static void WriteResponse(IBufferWriter<byte> output, int statusCode, ReadOnlySpan<byte> body,
        string contentType = TextPlain, bool keepAlive = false, IEnumerable<KeyValuePair<string, string>>? extraHeaders = null)
    {
        WriteResponseHead(output, statusCode, body.Length, body.IsEmpty ? null : contentType, keepAlive, extraHeaders);
        HttpHeadWriter.Write(output, body);
    }

    /// <summary>Writes only the head of a response whose <paramref name="contentLength"/> body bytes the caller writes next.
    /// <paramref name="contentType"/> null omits Content-Type.</summary>
    public static void WriteResponseHead(IBufferWriter<byte> output, int statusCode, long contentLength,
        string? contentType = TextPlain, bool keepAlive = false, IEnumerable<KeyValuePair<string, string>>? extraHeaders = null)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentOutOfRangeException.ThrowIfNegative(contentLength);
        bool bodyless = statusCode is < 200 or 204 or 304;
        if (bodyless && contentLength != 0)
        {
            throw new ArgumentException($"A {statusCode} response has no body.", nameof(contentLength));
        }
        HttpHeadWriter.WriteStatusLine(output, statusCode);
        HttpHeadWriter.Write(output, HttpDate.HeaderLine);
        if (!bodyless)
        {
            if (!string.IsNullOrEmpty(contentType))
            {
                HttpHeadWriter.WriteHeader(output, "Content-Type", contentType);
            }
            HttpHeadWriter.WriteTrustedHeader(output, "Content-Length: "u8, contentLength);
        }
        HttpHeadWriter.Write(output, keepAlive ? "Connection: keep-alive\r\n"u8 : "Connection: close\r\n"u8);
        HttpHeadWriter.WriteExtraHeaders(output, extraHeaders);
        HttpHeadWriter.WriteCrlf(output);
    }

    /// <summary>Standard reason phrase (RFC 9110 §15) or "" for an unlisted code.</summary>
    public static string ReasonPhrase(int statusCode) => statusCode switch
    {
        100 => "Continue",
        101 => "Switching Protocols",
        200 => "OK",
        201 => "Created",
        202 => "Accepted",
        204 => "No Content",
        206 => "Partial Content",
        301 => "Moved Permanently",
        302 => "Found",
        303 => "See Other",
        304 => "Not Modified",
        307 => "Temporary Redirect",
        308 => "Permanent Redirect",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        406 => "Not Acceptable",
        408 => "Request Timeout",
        409 => "Conflict",
        410 => "Gone",
        411 => "Length Required",
        413 => "Content Too Large",
        414 => "URI Too Long",
        415 => "Unsupported Media Type",
        417 => "Expectation Failed",
        422 => "Unprocessable Content",
        426 => "Upgrade Required",
        429 => "Too Many Requests",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        501 => "Not Implemented",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        505 => "HTTP Version Not Supported",
        _ => string.Empty,
    };
}
