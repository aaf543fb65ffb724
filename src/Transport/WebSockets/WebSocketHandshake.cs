using System.Buffers;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using FastRealtime.Transport.Http;

namespace FastRealtime.Transport.WebSockets;

/// <summary>
/// The RFC 6455 §4 opening handshake in both roles. Server role (this file and WebSocketHandshake.Server.cs):
/// validate the upgrade request, answer 101 or reject. Client role (WebSocketHandshake.Client.cs): write the
/// request, check the server's answer. All members are stateless and thread-safe.
/// </summary>
public static partial class WebSocketHandshake
{
    /// <summary>The GUID appended to the client key before hashing (RFC 6455 §1.3).</summary>
    public const string Guid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    /// <summary>Length of a Sec-WebSocket-Accept value: base64 of a 20-byte SHA-1.</summary>
    public const int AcceptKeyLength = 28;

    private static ReadOnlySpan<byte> GuidBytes => "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"u8;

    /// <summary>True when the request asks to become a WebSocket (Upgrade contains the token "websocket"),
    /// so a router can send it to the handshake rather than to plain HTTP handlers.</summary>
    public static bool IsUpgradeRequest(HttpRequestHead request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request.Headers.ContainsToken("Upgrade", "websocket");
    }

    /// <summary>
    /// Writes base64(SHA-1(key + GUID)) (RFC 6455 §4.2.2 step 5.4) into <paramref name="destination"/> as ASCII
    /// and returns 28. Works on the stack for keys up to 92 bytes; allocates nothing.
    /// </summary>
    public static int ComputeAcceptKey(ReadOnlySpan<byte> keyAscii, Span<byte> destination)
    {
        if (destination.Length < AcceptKeyLength)
        {
            throw new ArgumentException($"Destination needs {AcceptKeyLength} bytes.", nameof(destination));
        }
        int length = keyAscii.Length + GuidBytes.Length;
        byte[]? rented = null;
        Span<byte> input = length <= 128 ? stackalloc byte[128] : (rented = ArrayPool<byte>.Shared.Rent(length));
        keyAscii.CopyTo(input);
        GuidBytes.CopyTo(input[keyAscii.Length..]);
        Span<byte> hash = stackalloc byte[SHA1.HashSizeInBytes];
        SHA1.HashData(input[..length], hash);
        if (rented is not null)
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
        Base64.EncodeToUtf8(hash, destination, out _, out int written);
        return written;
    }

    /// <summary>String form of <see cref="ComputeAcceptKey(ReadOnlySpan{byte}, Span{byte})"/> for an ASCII key.</summary>
    public static string ComputeAcceptKey(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (!Ascii.IsValid(key))
        {
            throw new ArgumentException("A WebSocket key is ASCII.", nameof(key));
        }
        byte[]? rented = null;
        Span<byte> keyBytes = key.Length <= 64 ? stackalloc byte[64] : (rented = ArrayPool<byte>.Shared.Rent(key.Length));
        int keyLength = Encoding.ASCII.GetBytes(key, keyBytes);
        Span<byte> accept = stackalloc byte[AcceptKeyLength];
        int written = ComputeAcceptKey(keyBytes[..keyLength], accept);
        if (rented is not null)
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
        return Encoding.ASCII.GetString(accept[..written]);
    }

    /// <summary>
    /// Elements of a comma-separated header list across all lines of <paramref name="name"/>, trimmed, empty elements
    /// dropped. Commas inside quoted strings (extension parameters, RFC 6455 §9.1) do not split.
    /// </summary>
    private static List<string> ReadList(HttpHeaders headers, string name)
    {
        var elements = new List<string>();
        foreach (string value in headers.GetValues(name))
        {
            int start = 0;
            bool quoted = false;
            for (int i = 0; i <= value.Length; i++)
            {
                if (i < value.Length && (value[i] != ',' || quoted))
                {
                    quoted ^= value[i] == '"';
                    continue;
                }
                ReadOnlySpan<char> element = value.AsSpan(start, i - start).Trim(" \t");
                if (!element.IsEmpty)
                {
                    elements.Add(new string(element));
                }
                start = i + 1;
            }
        }
        return elements;
    }
}
