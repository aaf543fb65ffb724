using System.Buffers;
using System.Net;
using System.Net.Sockets;
using System.Text;
using FastRealtime.Core.Connections;
using FastRealtime.Core.Epoll;
using FastRealtime.Tests.Infrastructure;

namespace FastRealtime.Tests.Epoll; // not ".Core": that would shadow FastRealtime.Core for the other test folders

/// <summary>
/// Outgoing connections on the epoll engine, against the real server and plain loopback listeners: the handler's
/// protocol sees the bytes, sends leave, failures surface as exceptions from ConnectAsync, and the source address
/// is the one asked for.
/// </summary>
public sealed class EpollClientTests : IDisposable
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);
    private readonly EpollClient _client = new(eventLoops: 1);

    [Fact]
    public async Task ConnectAsync_TestServerEcho_UpgradesAndEchoesRoundTrips()
    {
        await using var server = TestServer.Start();
        var protocol = new RecordingProtocol();
        Connection connection = await _client.ConnectAsync(server.EndPoint, protocol).WaitAsync(Bound);

        // RFC 6455 §1.3's sample key, so the accept value is the one the RFC prints.
        connection.Send(Encoding.ASCII.GetBytes(
            $"GET /echo HTTP/1.1\r\nHost: 127.0.0.1:{server.Port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
            "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"));
        string head = Encoding.ASCII.GetString(await protocol.TakeUntilAsync("\r\n\r\n"u8.ToArray()));
        Assert.StartsWith("HTTP/1.1 101", head);
        Assert.Contains("Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", head);

        for (byte round = 1; round <= 3; round++)
        {
            byte[] payload = [round, 0xAA, 0x55];
            connection.Send(WireFrame.Build(0x2, payload)); // masked binary frame
            byte[] echoed = await protocol.TakeAsync(5);
            Assert.Equal(new byte[] { 0x82, 0x03, round, 0xAA, 0x55 }, echoed); // FIN|binary, unmasked, length 3
        }

        connection.Close();
        Assert.Equal(connection, await protocol.Closed.Task.WaitAsync(Bound));
    }

    [Fact]
    public async Task ConnectAsync_NothingListening_ThrowsConnectionRefused()
    {
        var free = new TcpListener(IPAddress.Loopback, 0);
        free.Start();
        var endPoint = (IPEndPoint)free.LocalEndpoint;
        free.Stop();

        var error = await Assert.ThrowsAsync<SocketException>(() => _client.ConnectAsync(endPoint, new RecordingProtocol()).WaitAsync(Bound));

        Assert.Equal(SocketError.ConnectionRefused, error.SocketErrorCode);
    }

    [Fact]
    public async Task ConnectAsync_LocalAddress127002_PeerSeesThatSourceAddress()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        Task<Socket> accepted = listener.AcceptSocketAsync();

        Connection connection = await _client.ConnectAsync((IPEndPoint)listener.LocalEndpoint, new RecordingProtocol(), IPAddress.Parse("127.0.0.2")).WaitAsync(Bound);
        using Socket peer = await accepted.WaitAsync(Bound);

        Assert.Equal(IPAddress.Parse("127.0.0.2"), ((IPEndPoint)peer.RemoteEndPoint!).Address);
        connection.Abort(ConnectionEndReason.LocalClosed);
    }

    [Fact]
    public async Task ConnectAsync_PeerSendsThenCloses_ProtocolGetsBytesThenOnClosed()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        Task<Socket> accepted = listener.AcceptSocketAsync();
        var protocol = new RecordingProtocol();

        await _client.ConnectAsync((IPEndPoint)listener.LocalEndpoint, protocol).WaitAsync(Bound);
        using (Socket peer = await accepted.WaitAsync(Bound))
        {
            peer.Send("hello"u8);
            peer.Shutdown(SocketShutdown.Send);
            Assert.Equal("hello"u8.ToArray(), await protocol.TakeAsync(5));
        }

        await protocol.Closed.Task.WaitAsync(Bound);
    }

    public void Dispose() => _client.Dispose();

    /// <summary>A raw protocol: keeps every byte it is given (consuming all of it) for the test to take.</summary>
    private sealed class RecordingProtocol : IConnectionHandler, IConnectionProtocol
    {
        private readonly object _gate = new();
        private readonly List<byte> _received = [];

        public TaskCompletionSource<Connection> Closed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void OnConnected(Connection connection) => connection.Protocol = this;

        public void OnData(Connection connection, ref ReadOnlySequence<byte> buffer)
        {
            lock (_gate) _received.AddRange(buffer.ToArray());
            buffer = buffer.Slice(buffer.End);
        }

        public void OnTimer(Connection connection) { }

        public void OnShutdownRequested(Connection connection) => connection.Close();

        public void OnClosed(Connection connection) => Closed.TrySetResult(connection);

        public async Task<byte[]> TakeAsync(int count)
        {
            await Eventually.AssertAsync(() => { lock (_gate) return _received.Count >= count; }, Bound, () => $"only {_received.Count} of {count} bytes arrived");
            lock (_gate)
            {
                byte[] taken = _received.Take(count).ToArray();
                _received.RemoveRange(0, count);
                return taken;
            }
        }

        public async Task<byte[]> TakeUntilAsync(byte[] terminator)
        {
            int end = -1;
            await Eventually.AssertAsync(() => { lock (_gate) return (end = IndexOf(terminator)) >= 0; }, Bound, () => "terminator never arrived");
            return await TakeAsync(end + terminator.Length);
        }

        private int IndexOf(byte[] terminator) => _received.ToArray().AsSpan().IndexOf(terminator);
    }
}
