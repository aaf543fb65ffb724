using System.Buffers;
using System.Text;
using FastRealtime.Transport.Http;

namespace FastRealtime.Transport.WebSockets;

public static partial class WebSocketHandshake
{
    private static readonly KeyValuePair<string, string>[] VersionHeader = [new("Sec-WebSocket-Version", "13")];

    /// <summary>
    /// Checks a client's opening handshake (RFC 6455 §4.2.1). Rejections: 400 for a malformed request (method other
    /// than GET — 400 rather than 405 because the request is not a valid handshake at all, as §4.2.1 suggests —,
    /// HTTP/1.0, missing or repeated Host, missing Upgrade: websocket or Connection: Upgrade tokens, a
    /// Sec-WebSocket-Key that is not base64 of exactly 16 bytes, a subprotocol that is not a token);
    /// 426 for a missing or unsupported Sec-WebSocket-Version (§4.4); 403 for an Origin outside the allow-list.
    /// </summary>
    public static WebSocketHandshakeResult Validate(HttpRequestHead request, WebSocketHandshakeOptions options)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(options);
        HttpHeaders headers = request.Headers;
        if (request.Method != KnownMethods.Get)
        {
            return WebSocketHandshakeResult.Rejected(400, "WebSocket upgrade requires GET");
        }
        if (!request.IsHttp11)
        {
            return WebSocketHandshakeResult.Rejected(400, "WebSocket upgrade requires HTTP/1.1");
        }
        if (headers.CountOf("Host") != 1)
        {
            return WebSocketHandshakeResult.Rejected(400, "Missing or repeated Host header");
        }
        if (!headers.ContainsToken("Upgrade", "websocket"))
        {
            return WebSocketHandshakeResult.Rejected(400, "Missing Upgrade: websocket");
        }
        if (!headers.ContainsToken("Connection", "Upgrade"))
        {
            return WebSocketHandshakeResult.Rejected(400, "Missing Connection: Upgrade");
        }
        if (headers.CountOf("Sec-WebSocket-Version") != 1 || headers["Sec-WebSocket-Version"] != "13")
        {
            return WebSocketHandshakeResult.Rejected(426, "Unsupported Sec-WebSocket-Version; this server speaks 13");
        }
        string? key = headers["Sec-WebSocket-Key"];
        if (key is null || headers.CountOf("Sec-WebSocket-Key") != 1 || !IsValidClientKey(key))
        {
            return WebSocketHandshakeResult.Rejected(400, "Sec-WebSocket-Key must be base64 of 16 bytes");
        }
        if (options.AllowedOrigins is { } allowed && !AllOriginsAllowed(headers, allowed))
        {
            return WebSocketHandshakeResult.Rejected(403, "Origin not allowed");
        }
        List<string> subprotocols = ReadList(headers, "Sec-WebSocket-Protocol");
        foreach (string offered in subprotocols)
        {
            if (!HttpSyntax.IsToken(offered.AsSpan()))
            {
                return WebSocketHandshakeResult.Rejected(400, "Invalid Sec-WebSocket-Protocol");
            }
        }
        string? selected = SelectSubprotocol(options, subprotocols);
        return WebSocketHandshakeResult.Accepted(ComputeAcceptKey(key), selected, subprotocols, ReadList(headers, "Sec-WebSocket-Extensions"));
    }

    /// <summary>
    /// Writes the 101 Switching Protocols answer (RFC 6455 §4.2.2 step 5). <paramref name="extensionsHeader"/> is the
    /// negotiated Sec-WebSocket-Extensions value, if any.
    /// </summary>
    /// <exception cref="InvalidOperationException"><paramref name="result"/> is a rejection.</exception>
    public static void WriteUpgradeResponse(IBufferWriter<byte> output, in WebSocketHandshakeResult result, string? extensionsHeader = null)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (!result.Success || result.AcceptKey is null)
        {
            throw new InvalidOperationException("Only an accepted handshake gets a 101 response.");
        }
        HttpHeadWriter.Write(output, "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"u8);
        HttpHeadWriter.WriteHeader(output, "Sec-WebSocket-Accept", result.AcceptKey);
        if (result.Subprotocol is not null)
        {
            HttpHeadWriter.WriteHeader(output, "Sec-WebSocket-Protocol", result.Subprotocol);
        }
        if (!string.IsNullOrEmpty(extensionsHeader))
        {
            HttpHeadWriter.WriteHeader(output, "Sec-WebSocket-Extensions", extensionsHeader);
        }
        HttpHeadWriter.WriteCrlf(output);
    }

    /// <summary>Writes the refusal for a failed handshake: its status, a short text body, Connection: close, and
    /// Sec-WebSocket-Version: 13 on 426 (RFC 6455 §4.4).</summary>
    /// <exception cref="InvalidOperationException"><paramref name="result"/> is a success.</exception>
    public static void WriteRejection(IBufferWriter<byte> output, in WebSocketHandshakeResult result)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (result.Success || result.StatusCode == 0)
        {
            throw new InvalidOperationException("Only a rejected handshake gets an error response.");
        }
        string text = result.Error ?? HttpResponseWriter.ReasonPhrase(result.StatusCode);
        HttpResponseWriter.WriteResponse(output, result.StatusCode, Encoding.UTF8.GetBytes(text),
            keepAlive: false, extraHeaders: result.StatusCode == 426 ? VersionHeader : null);
    }

    /// <summary>RFC 6455 §4.1: the key is a random 16-byte value, base64-encoded — always 24 chars ending "==".</summary>
    private static bool IsValidClientKey(string key)
    {
        Span<byte> decoded = stackalloc byte[16];
        return key.Length == 24 && key.EndsWith("==", StringComparison.Ordinal)
            && Convert.TryFromBase64String(key, decoded, out int written) && written == 16;
    }

    private static bool AllOriginsAllowed(HttpHeaders headers, IReadOnlyCollection<string> allowed)
    {
        foreach (string origin in headers.GetValues("Origin"))
        {
            bool found = false;
            foreach (string candidate in allowed)
            {
                found |= string.Equals(origin, candidate, StringComparison.OrdinalIgnoreCase);
            }
            if (!found)
            {
                return false;
            }
        }
        return true;
    }

    private static string? SelectSubprotocol(WebSocketHandshakeOptions options, List<string> offered)
    {
        if (offered.Count == 0 || options.SelectSubprotocol is null)
        {
            return null;
        }
        string? selected = options.SelectSubprotocol(offered);
        if (selected is not null && !offered.Contains(selected))
        {
            throw new InvalidOperationException($"SelectSubprotocol returned '{selected}', which the client did not offer.");
        }
        return selected;
    }
}
