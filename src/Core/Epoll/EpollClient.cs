using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using FastRealtime.Core.Connections;
using FastRealtime.Core.Metrics;
using FastRealtime.Core.Timing;
using Microsoft.Extensions.Logging.Abstractions;
using static FastRealtime.Core.Epoll.LibC;

namespace FastRealtime.Core.Epoll;

/// <summary>
/// Outgoing connections on the epoll engine, for clients that must never be the bottleneck (the load generator):
/// the same event loops, per-batch flushing and callback protocols as the server side.
/// </summary>
public sealed unsafe class EpollClient : IDisposable
{
    private readonly EpollLoop[] _loops;
    private readonly ConnectionContext _context;
    private int _next;

    public EpollClient(int eventLoops = 0, ConnectionOptions? options = null, ServerMetrics? metrics = null, TimerWheel? timerWheel = null)
    {
        if (!LibC.IsSupported) throw new PlatformNotSupportedException("The epoll engine needs Linux on x64.");
        int count = eventLoops > 0 ? eventLoops : Environment.ProcessorCount;
        _loops = new EpollLoop[count];
        for (int i = 0; i < count; i++) _loops[i] = new EpollLoop(i);
        Metrics = metrics ?? new ServerMetrics("FastRealtime.Client");
        _context = new ConnectionContext(options ?? new ConnectionOptions(), Metrics, timerWheel ?? TimerWheel.Shared, NullLogger.Instance);
    }

    public static bool IsSupported => LibC.IsSupported;

    public ServerMetrics Metrics { get; }

    /// <summary>
    /// Connects to <paramref name="remote"/> (from <paramref name="localAddress"/> when given, so that many source
    /// addresses can pass the ephemeral-port limit) and runs the protocol <paramref name="handler"/> sets on it.
    /// </summary>
    public Task<Connection> ConnectAsync(IPEndPoint remote, IConnectionHandler handler, IPAddress? localAddress = null)
    {
        int family = remote.AddressFamily == AddressFamily.InterNetworkV6 ? AF_INET6 : AF_INET;
        int fd = socket(family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
        if (fd < 0) return Task.FromException<Connection>(new SocketException(LastError));
        int one = 1;
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(int));

        byte* address = stackalloc byte[28];
        if (localAddress is not null)
        {
            // The port is picked at connect time, per destination, so one source address serves many targets.
            setsockopt(fd, SOL_IP, IP_BIND_ADDRESS_NO_PORT, &one, sizeof(int));
            int localLength = WriteSockAddr(new IPEndPoint(localAddress, 0), address);
            if (bind(fd, address, localLength) != 0) return Fail(fd, LastError);
        }
        int length = WriteSockAddr(remote, address);
        if (connect(fd, address, length) != 0 && LastError != EINPROGRESS) return Fail(fd, LastError);

        var loop = _loops[(int)((uint)Interlocked.Increment(ref _next) % (uint)_loops.Length)];
        var connection = new EpollConnection(fd, remote, loop, _context);
        var completion = new TaskCompletionSource<Connection>(TaskCreationOptions.RunContinuationsAsynchronously);
        connection.BeginConnect((c, error) =>
        {
            if (error != 0)
            {
                c.Abort(ConnectionEndReason.RemoteReset);
                completion.TrySetException(new SocketException(error));
                return;
            }
            c.Start(handler);
            completion.TrySetResult(c);
        });
        return completion.Task;
    }

    private static Task<Connection> Fail(int fd, int error)
    {
        close(fd);
        return Task.FromException<Connection>(new SocketException(error));
    }

    private static int WriteSockAddr(IPEndPoint endPoint, byte* address)
    {
        new Span<byte>(address, 28).Clear();
        *(ushort*)(address + 2) = BinaryPrimitives.ReverseEndianness((ushort)endPoint.Port);
        if (endPoint.AddressFamily == AddressFamily.InterNetworkV6)
        {
            *(ushort*)address = AF_INET6;
            endPoint.Address.TryWriteBytes(new Span<byte>(address + 8, 16), out _);
            return 28;
        }
        *(ushort*)address = AF_INET;
        endPoint.Address.TryWriteBytes(new Span<byte>(address + 4, 4), out _);
        return 16;
    }

    public void Dispose()
    {
        foreach (var loop in _loops) loop.Dispose();
    }
}
