using System.Buffers;
using System.Net.Sockets;
using FastRealtime.Transport.Http;
using FastRealtime.Transport.WebSockets;

namespace FastRealtime.LoadGen.Net;

/// <summary>How far a client's opening handshake has got with the bytes received so far.</summary>
public enum HandshakeStatus
{
    Incomplete,
    Accepted,
    Failed,
}

/// <summary>
/// The client side of one RFC 6455 opening handshake (§4.1), engine-neutral: the request bytes, written by Transport's
/// <see cref="WebSocketHandshake"/>, and the check of the server's response head; failures are stable short names
/// the run's error counters use.
/// </summary>
public sealed class ClientHandshake
{
    private static readonly HttpLimits ResponseLimits = new();

    private readonly string _key;

    public ClientHandshake(string hostHeader, string pathAndQuery)
    {
        _key = WebSocketHandshake.CreateClientKey();
        var request = new ArrayBufferWriter<byte>(256);
        WebSocketHandshake.WriteClientRequest(request, hostHeader, pathAndQuery, _key);
        Request = request.WrittenMemory;
    }

    /// <summary>The GET request with the upgrade headers.</summary>
    public ReadOnlyMemory<byte> Request { get; }

    /// <summary>The Host header for <paramref name="url"/> (the port only when it is not the scheme's default).</summary>
    public static string HostHeader(Uri url) => url.IsDefaultPort ? url.IdnHost : $"{url.IdnHost}:{url.Port}";

    /// <summary>
    /// Parses the server's response head from <paramref name="buffer"/>. On <see cref="HandshakeStatus.Accepted"/> the
    /// buffer is sliced past the head (frames the server sent right behind its 101 follow); on
    /// <see cref="HandshakeStatus.Failed"/> <paramref name="failure"/> names why.
    /// </summary>
    public HandshakeStatus TryAccept(ref ReadOnlySequence<byte> buffer, out string? failure)
    {
        failure = null;
        HttpParseStatus status = HttpResponseHeadParser.TryParse(ref buffer, ResponseLimits, out HttpResponseHead? head, out _);
        if (status == HttpParseStatus.Incomplete) return HandshakeStatus.Incomplete;
        if (status == HttpParseStatus.Error) failure = "handshake-bad-response";
        else if (head!.StatusCode != 101) failure = $"http-{head.StatusCode}";
        else if (!WebSocketHandshake.ValidateServerResponse(head, _key, out _)) failure = "handshake-rejected";
        return failure is null ? HandshakeStatus.Accepted : HandshakeStatus.Failed;
    }

    /// <summary>The error-counter name of a socket failure during <paramref name="stage"/> ("connect" or "handshake").</summary>
    public static string SocketErrorKind(string stage, SocketError error) => error switch
    {
        SocketError.ConnectionRefused => "connect-refused",
        SocketError.AddressAlreadyInUse or SocketError.AddressNotAvailable => "source-ports-exhausted",
        SocketError.TooManyOpenSockets => "too-many-open-files",
        SocketError.ConnectionReset => $"{stage}-reset",
        SocketError.TimedOut => $"{stage}-timeout",
        _ => $"{stage}-{error}".ToLowerInvariant(),
    };
}
