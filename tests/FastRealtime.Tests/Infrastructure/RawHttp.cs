using System.Buffers;
using System.Net;
using System.Net.Sockets;
using System.Text;
using FastRealtime.Transport.Http;

namespace FastRealtime.Tests.Infrastructure;

/// <summary>What the server answered to a hand-written request: the parsed head and the body as text.</summary>
public sealed record RawHttpResponse(HttpResponseHead Head, string Body)
{
    public int StatusCode => Head.StatusCode;
}

/// <summary>Sends hand-written HTTP/1.1 request heads over a fresh TCP connection and reads the answer.</summary>
public static class RawHttp
{
    /// <summary>A WebSocket upgrade request with every header given explicitly (CRLF line ends added).</summary>
    public static string Request(string requestLine, params string[] headerLines) =>
        requestLine + "\r\n" + string.Concat(headerLines.Select(h => h + "\r\n")) + "\r\n";

    /// <summary>The standard valid handshake headers for <paramref name="endPoint"/>, to vary one at a time.</summary>
    public static string[] UpgradeHeaders(IPEndPoint endPoint, string key = "dGhlIHNhbXBsZSBub25jZQ==") =>
    [
        $"Host: 127.0.0.1:{endPoint.Port}",
        "Upgrade: websocket",
        "Connection: Upgrade",
        $"Sec-WebSocket-Key: {key}",
        "Sec-WebSocket-Version: 13",
    ];

    public static Task<RawHttpResponse> SendAsync(IPEndPoint endPoint, string request, TimeSpan? timeout = null) =>
        SendAsync(endPoint, Encoding.ASCII.GetBytes(request), timeout);

    /// <summary>Sends <paramref name="request"/> and reads one response (head, then a Content-Length body).</summary>
    public static async Task<RawHttpResponse> SendAsync(IPEndPoint endPoint, byte[] request, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
        using var socket = await RawWebSocketClient.ConnectTcpAsync(endPoint);
        await SendIgnoringResetAsync(socket, request, cts.Token);
        return await ReadResponseAsync(socket, cts.Token);
    }

    // The server may answer (e.g. 431) and close before it has read everything we send; a reset on our side of the
    // write is then expected, and the answer is still in our receive buffer.
    private static async Task SendIgnoringResetAsync(Socket socket, byte[] request, CancellationToken cancellationToken)
    {
        try
        {
            await socket.SendAsync(request, SocketFlags.None, cancellationToken);
        }
        catch (SocketException) { }
    }

    public static async Task<RawHttpResponse> ReadResponseAsync(Socket socket, CancellationToken cancellationToken)
    {
        var buffer = new byte[16 * 1024];
        int filled = 0;
        while (true)
        {
            var sequence = new ReadOnlySequence<byte>(buffer, 0, filled);
            var status = HttpResponseHeadParser.TryParse(ref sequence, new HttpLimits(), out var head, out string? error);
            if (status == HttpParseStatus.Complete)
            {
                int headLength = filled - (int)sequence.Length;
                int bodyLength = (int)(head!.ContentLength ?? 0);
                while (filled - headLength < bodyLength)
                {
                    int more = await ReceiveAsync(socket, buffer.AsMemory(filled), cancellationToken);
                    if (more == 0) break;
                    filled += more;
                }
                return new RawHttpResponse(head, Encoding.UTF8.GetString(buffer, headLength, Math.Min(bodyLength, filled - headLength)));
            }
            if (status == HttpParseStatus.Error) throw new InvalidOperationException($"Bad response head: {error}");
            int read = await ReceiveAsync(socket, buffer.AsMemory(filled), cancellationToken);
            if (read == 0) throw new InvalidOperationException($"Connection closed after {filled} bytes, before a response head");
            filled += read;
        }
    }

    private static async Task<int> ReceiveAsync(Socket socket, Memory<byte> into, CancellationToken cancellationToken)
    {
        try
        {
            return await socket.ReceiveAsync(into, SocketFlags.None, cancellationToken);
        }
        catch (SocketException)
        {
            return 0;
        }
    }
}
