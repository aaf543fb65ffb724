using System.Buffers;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace FastRealtime.LoadGen.Net;

/// <summary>
/// Opens <see cref="SocketWsConnection"/>s (the portable engine): TCP connect, optionally from a chosen local
/// address, the opening handshake (<see cref="ClientHandshake"/>) and the first receive buffer.
/// </summary>
public sealed class SocketWsConnector : IClientConnector
{
    // Linux IP_BIND_ADDRESS_NO_PORT (SOL_IP = 0, option 24): defer the source port choice to connect(), so
    // one source address can reach ~64k ports per destination instead of sharing one ephemeral range.
    private const int SolIp = 0;
    private const int IpBindAddressNoPort = 24;
    private const int HandshakeBufferSize = 4096;

    private readonly ClientTarget _target;

    public SocketWsConnector(ClientTarget target) => _target = target;

    public async Task<ConnectOutcome> ConnectAsync(string pathAndQuery, IPAddress? localAddress, CancellationToken ct)
    {
        long start = Stopwatch.GetTimestamp();
        var socket = new Socket(_target.Remote.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        byte[]? buffer = null;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(_target.ConnectTimeout);
        string stage = "connect";
        try
        {
            if (localAddress is not null)
            {
                if (OperatingSystem.IsLinux()) socket.SetRawSocketOption(SolIp, IpBindAddressNoPort, BitConverter.GetBytes(1));
                socket.Bind(new IPEndPoint(localAddress, 0));
            }
            await socket.ConnectAsync(_target.Remote, timeout.Token).ConfigureAwait(false);

            stage = "handshake";
            var handshake = new ClientHandshake(_target.HostHeader, pathAndQuery);
            await socket.SendAsync(handshake.Request, SocketFlags.None, timeout.Token).ConfigureAwait(false);

            buffer = ArrayPool<byte>.Shared.Rent(HandshakeBufferSize);
            int filled = 0;
            while (true)
            {
                if (filled == buffer.Length) return Fail(socket, buffer, "handshake-too-large", start);
                int read = await socket.ReceiveAsync(buffer.AsMemory(filled), SocketFlags.None, timeout.Token).ConfigureAwait(false);
                if (read == 0) return Fail(socket, buffer, "handshake-eof", start);
                filled += read;
                var sequence = new ReadOnlySequence<byte>(buffer, 0, filled);
                HandshakeStatus status = handshake.TryAccept(ref sequence, out string? failure);
                if (status == HandshakeStatus.Incomplete) continue;
                if (status == HandshakeStatus.Failed) return Fail(socket, buffer, failure!, start);

                // Frames the server sent right behind its 101 stay at the front of the buffer.
                int leftover = (int)sequence.Length;
                Buffer.BlockCopy(buffer, filled - leftover, buffer, 0, leftover);
                var connection = new SocketWsConnection(socket, buffer, leftover, _target.MaxMessageSize);
                return new ConnectOutcome(connection, null, Stopwatch.GetTimestamp() - start);
            }
        }
        catch (OperationCanceledException)
        {
            return Fail(socket, buffer, ct.IsCancellationRequested ? "cancelled" : $"{stage}-timeout", start);
        }
        catch (SocketException e)
        {
            return Fail(socket, buffer, ClientHandshake.SocketErrorKind(stage, e.SocketErrorCode), start);
        }
    }

    private static ConnectOutcome Fail(Socket socket, byte[]? buffer, string kind, long start)
    {
        socket.Dispose();
        if (buffer is not null) ArrayPool<byte>.Shared.Return(buffer);
        return new ConnectOutcome(null, kind, Stopwatch.GetTimestamp() - start);
    }
}
