using System.Buffers;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using FastRealtime.Transport.Http;
using FastRealtime.Transport.WebSockets;

namespace FastRealtime.LoadGen.Net;

/// <summary>The outcome of one connection attempt: a connection, or the kind of failure (a stable short name).</summary>
public readonly record struct ConnectOutcome(WsClientConnection? Connection, string? ErrorKind, long HandshakeTicks);

/// <summary>
/// Opens client connections: TCP connect (optionally from a chosen local address), the RFC 6455 opening handshake
/// (written and checked by Transport's WebSocketHandshake, in the client role) and the first receive buffer.
/// </summary>
public sealed class WsConnector
{
    // Linux IP_BIND_ADDRESS_NO_PORT (SOL_IP = 0, option 24): defer the source port choice to connect(), so
    // one source address can reach ~64k ports per destination instead of sharing one ephemeral range.
    private const int SolIp = 0;
    private const int IpBindAddressNoPort = 24;
    private static readonly HttpLimits ResponseLimits = new();

    private readonly EndPoint _remote;
    private readonly string _hostHeader;
    private readonly TimeSpan _timeout;
    private readonly int _maxMessageSize;

    public WsConnector(EndPoint remote, Uri url, TimeSpan timeout, int maxMessageSize)
    {
        _remote = remote;
        _hostHeader = url.IsDefaultPort ? url.IdnHost : $"{url.IdnHost}:{url.Port}";
        _timeout = timeout;
        _maxMessageSize = maxMessageSize;
    }

    /// <summary>Resolves the URL's host (already checked by the target policy) to an endpoint.</summary>
    public static async Task<EndPoint> ResolveAsync(Uri url, CancellationToken ct)
    {
        string host = url.IdnHost.Trim('[', ']');
        if (IPAddress.TryParse(host, out IPAddress? ip)) return new IPEndPoint(ip, url.Port);
        if (string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase)) return new IPEndPoint(IPAddress.Loopback, url.Port);
        IPAddress[] addresses = await Dns.GetHostAddressesAsync(host, ct).ConfigureAwait(false);
        return new IPEndPoint(addresses.First(), url.Port);
    }

    public async Task<ConnectOutcome> ConnectAsync(string pathAndQuery, IPAddress? localAddress, CancellationToken ct)
    {
        long start = Stopwatch.GetTimestamp();
        var socket = new Socket(_remote.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        byte[]? buffer = null;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(_timeout);
        string stage = "connect";
        try
        {
            if (localAddress is not null)
            {
                if (OperatingSystem.IsLinux()) socket.SetRawSocketOption(SolIp, IpBindAddressNoPort, BitConverter.GetBytes(1));
                socket.Bind(new IPEndPoint(localAddress, 0));
            }
            await socket.ConnectAsync(_remote, timeout.Token).ConfigureAwait(false);

            stage = "handshake";
            string key = WebSocketHandshake.CreateClientKey();
            var request = new ArrayBufferWriter<byte>(256);
            WebSocketHandshake.WriteClientRequest(request, _hostHeader, pathAndQuery, key);
            await socket.SendAsync(request.WrittenMemory, SocketFlags.None, timeout.Token).ConfigureAwait(false);

            buffer = ArrayPool<byte>.Shared.Rent(4096);
            int filled = 0;
            while (true)
            {
                if (filled == buffer.Length) return Fail(socket, buffer, "handshake-too-large", start);
                int read = await socket.ReceiveAsync(buffer.AsMemory(filled), SocketFlags.None, timeout.Token).ConfigureAwait(false);
                if (read == 0) return Fail(socket, buffer, "handshake-eof", start);
                filled += read;
                var sequence = new ReadOnlySequence<byte>(buffer, 0, filled);
                HttpParseStatus status = HttpResponseHeadParser.TryParse(ref sequence, ResponseLimits, out HttpResponseHead? head, out _);
                if (status == HttpParseStatus.Incomplete) continue;
                if (status == HttpParseStatus.Error) return Fail(socket, buffer, "handshake-bad-response", start);
                if (head!.StatusCode != 101) return Fail(socket, buffer, $"http-{head.StatusCode}", start);
                if (!WebSocketHandshake.ValidateServerResponse(head, key, out _)) return Fail(socket, buffer, "handshake-rejected", start);

                // Frames the server sent right behind its 101 stay at the front of the buffer.
                int leftover = (int)sequence.Length;
                Buffer.BlockCopy(buffer, filled - leftover, buffer, 0, leftover);
                var connection = new WsClientConnection(socket, buffer, leftover, _maxMessageSize);
                return new ConnectOutcome(connection, null, Stopwatch.GetTimestamp() - start);
            }
        }
        catch (OperationCanceledException)
        {
            return Fail(socket, buffer, ct.IsCancellationRequested ? "cancelled" : $"{stage}-timeout", start);
        }
        catch (SocketException e)
        {
            return Fail(socket, buffer, SocketErrorKind(stage, e.SocketErrorCode), start);
        }
    }

    private static string SocketErrorKind(string stage, SocketError error) => error switch
    {
        SocketError.ConnectionRefused => "connect-refused",
        SocketError.AddressAlreadyInUse or SocketError.AddressNotAvailable => "source-ports-exhausted",
        SocketError.TooManyOpenSockets => "too-many-open-files",
        SocketError.ConnectionReset => $"{stage}-reset",
        SocketError.TimedOut => $"{stage}-timeout",
        _ => $"{stage}-{error}".ToLowerInvariant(),
    };

    private static ConnectOutcome Fail(Socket socket, byte[]? buffer, string kind, long start)
    {
        socket.Dispose();
        if (buffer is not null) ArrayPool<byte>.Shared.Return(buffer);
        return new ConnectOutcome(null, kind, Stopwatch.GetTimestamp() - start);
    }
}
