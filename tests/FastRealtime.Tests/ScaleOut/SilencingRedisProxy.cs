using System.Net;
using System.Net.Sockets;
using System.Text;

namespace FastRealtime.Tests.ScaleOut;

/// <summary>
/// A loopback TCP proxy in front of a real redis-server that forwards everything until a client sends a command
/// (SUBSCRIBE by default) naming <see cref="Marker"/>; from then on that connection is silent both ways but stays open —
/// Redis "connected" and never answering again, the failure StackExchange.Redis 1.2.6 would otherwise wait on for ever.
/// At most <c>maxSilenced</c> connections are silenced; later ones are forwarded as they are.
/// </summary>
public sealed class SilencingRedisProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly IPEndPoint _redis;
    private readonly byte[] _marker;
    private readonly byte[] _command;
    private readonly int _maxSilenced;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Socket> _sockets = [];
    private readonly Task _accepting;
    private int _silenced;

    public SilencingRedisProxy(IPEndPoint redis, string marker, string command = "SUBSCRIBE", int maxSilenced = int.MaxValue)
    {
        _redis = redis;
        Marker = marker;
        _marker = Encoding.ASCII.GetBytes(marker);
        _command = Encoding.ASCII.GetBytes($"\r\n{command}\r\n"); // the RESP bulk string of the command's name
        _maxSilenced = maxSilenced;
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public string Marker { get; }

    /// <summary>HOST:PORT for <c>--redis</c>.</summary>
    public string Configuration => $"127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";

    /// <summary>Connections silenced so far.</summary>
    public int Silenced => Math.Min(Volatile.Read(ref _silenced), _maxSilenced);

    private async Task AcceptAsync()
    {
        try
        {
            while (true)
            {
                var client = await _listener.AcceptSocketAsync(_stop.Token);
                var server = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                await server.ConnectAsync(_redis, _stop.Token);
                lock (_sockets) _sockets.AddRange([client, server]);
                var silenced = new SilenceFlag();
                _ = PumpAsync(client, server, silenced, watch: true);
                _ = PumpAsync(server, client, silenced, watch: false);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
    }

    private async Task PumpAsync(Socket from, Socket to, SilenceFlag silenced, bool watch)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            while (true)
            {
                int read = await from.ReceiveAsync(buffer, SocketFlags.None, _stop.Token);
                if (read == 0) return;
                var chunk = buffer.AsSpan(0, read);
                if (watch && !silenced.Value && chunk.IndexOf(_command) >= 0 && chunk.IndexOf(_marker) >= 0
                    && Interlocked.Increment(ref _silenced) <= _maxSilenced)
                    silenced.Value = true;
                if (silenced.Value) continue; // swallowed: the connection stays open and says nothing
                await to.SendAsync(buffer.AsMemory(0, read), SocketFlags.None, _stop.Token);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
    }

    /// <summary>Shared by a connection's two directions: once the client subscribes, neither forwards again.</summary>
    private sealed class SilenceFlag
    {
        public volatile bool Value;
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Stop();
        await _accepting;
        lock (_sockets) foreach (var socket in _sockets) socket.Dispose();
        _stop.Dispose();
    }
}
