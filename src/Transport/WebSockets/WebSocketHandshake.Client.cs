using System.Buffers;
using System.Security.Cryptography;
using FastRealtime.Transport.Http;

namespace FastRealtime.Transport.WebSockets;

public static partial class WebSocketHandshake
{
    /// <summary>A fresh Sec-WebSocket-Key: base64 of 16 random bytes (RFC 6455 §4.1 item 7).</summary>
    public static string CreateClientKey()
    {
        Span<byte> nonce = stackalloc byte[16];
        RandomNumberGenerator.Fill(nonce);
        return Convert.ToBase64String(nonce);
    }

    /// <summary>
    /// Writes a client opening handshake (RFC 6455 §4.1): GET <paramref name="pathAndQuery"/> HTTP/1.1 with Host,
    /// Upgrade, Connection, Sec-WebSocket-Key and Sec-WebSocket-Version: 13, then <paramref name="extraHeaders"/>
    /// (e.g. Origin, Sec-WebSocket-Protocol, Authorization).
    /// </summary>
    /// <exception cref="ArgumentException">The path is not origin-form or a header contains CR, LF or another control.</exception>
    public static void WriteClientRequest(IBufferWriter<byte> output, string host, string pathAndQuery, string clientKey,
        IEnumerable<KeyValuePair<string, string>>? extraHeaders = null)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentException.ThrowIfNullOrEmpty(host);
        ArgumentException.ThrowIfNullOrEmpty(clientKey);
        if (!pathAndQuery.StartsWith('/') || pathAndQuery.AsSpan().IndexOfAnyExceptInRange('!', '~') >= 0)
        {
            throw new ArgumentException("Expected an origin-form target such as \"/chat?room=1\" (visible ASCII, starting with '/').", nameof(pathAndQuery));
        }
        HttpHeadWriter.Write(output, "GET "u8);
        HttpHeadWriter.WriteLatin1(output, pathAndQuery);
        HttpHeadWriter.Write(output, " HTTP/1.1\r\n"u8);
        HttpHeadWriter.WriteHeader(output, "Host", host);
        HttpHeadWriter.Write(output, "Upgrade: websocket\r\nConnection: Upgrade\r\n"u8);
        HttpHeadWriter.WriteHeader(output, "Sec-WebSocket-Key", clientKey);
        HttpHeadWriter.Write(output, "Sec-WebSocket-Version: 13\r\n"u8);
        HttpHeadWriter.WriteExtraHeaders(output, extraHeaders);
        HttpHeadWriter.WriteCrlf(output);
    }

    /// <summary>
    /// Checks the server's answer (RFC 6455 §4.1, client steps 1-6) for a request that offered no subprotocols and no
    /// extensions: 101, Upgrade: websocket, Connection: Upgrade, the expected Sec-WebSocket-Accept, and neither a
    /// Sec-WebSocket-Protocol nor a Sec-WebSocket-Extensions header.
    /// </summary>
    public static bool ValidateServerResponse(HttpResponseHead response, string clientKey, out string? error) =>
        ValidateServerResponse(response, clientKey, null, null, out error);

    /// <summary>
    /// As <see cref="ValidateServerResponse(HttpResponseHead, string, out string?)"/>, for a request that offered
    /// <paramref name="requestedSubprotocols"/> and extensions named <paramref name="offeredExtensionNames"/>
    /// (e.g. "permessage-deflate"): a selected subprotocol or extension must be one of those offered.
    /// </summary>
    public static bool ValidateServerResponse(HttpResponseHead response, string clientKey,
        IReadOnlyCollection<string>? requestedSubprotocols, IReadOnlyCollection<string>? offeredExtensionNames, out string? error)
    {
        ArgumentNullException.ThrowIfNull(response);
        ArgumentNullException.ThrowIfNull(clientKey);
        HttpHeaders headers = response.Headers;
        error = response.StatusCode != 101 ? $"Expected 101 Switching Protocols, got {response.StatusCode}"
            : !headers.ContainsToken("Upgrade", "websocket") ? "Missing Upgrade: websocket"
            : !headers.ContainsToken("Connection", "Upgrade") ? "Missing Connection: Upgrade"
            : headers.CountOf("Sec-WebSocket-Accept") != 1 || headers["Sec-WebSocket-Accept"] != ComputeAcceptKey(clientKey)
                ? "Wrong Sec-WebSocket-Accept"
            : CheckSubprotocol(headers, requestedSubprotocols) ?? CheckExtensions(headers, offeredExtensionNames);
        return error is null;
    }

    private static string? CheckSubprotocol(HttpHeaders headers, IReadOnlyCollection<string>? requested)
    {
        List<string> selected = ReadList(headers, "Sec-WebSocket-Protocol");
        if (selected.Count == 0)
        {
            return null;
        }
        if (selected.Count > 1)
        {
            return "Server selected more than one subprotocol";
        }
        foreach (string offered in requested ?? [])
        {
            if (string.Equals(offered, selected[0], StringComparison.Ordinal))
            {
                return null;
            }
        }
        return $"Server selected subprotocol '{selected[0]}' that was not requested";
    }

    private static string? CheckExtensions(HttpHeaders headers, IReadOnlyCollection<string>? offeredNames)
    {
        foreach (string extension in ReadList(headers, "Sec-WebSocket-Extensions"))
        {
            int semicolon = extension.IndexOf(';');
            string name = (semicolon < 0 ? extension : extension[..semicolon]).Trim();
            bool offered = false;
            foreach (string candidate in offeredNames ?? [])
            {
                offered |= string.Equals(candidate, name, StringComparison.OrdinalIgnoreCase);
            }
            if (!offered)
            {
                return $"Server accepted extension '{name}' that was not offered";
            }
        }
        return null;
    }
}
