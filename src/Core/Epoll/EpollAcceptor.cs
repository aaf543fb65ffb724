using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using static FastRealtime.Core.Epoll.LibC;

namespace FastRealtime.Core.Epoll;

/// <summary>
/// Accepts connections on the first loop and spreads them over all loops. The listening socket itself is an
/// ordinary <see cref="Socket"/> (bind and listen), only its accepts are ours.
/// </summary>
internal sealed unsafe class EpollAcceptor : IDisposable
{
    private const int MaxAcceptsPerWake = 64;

    private readonly Socket _listenSocket;
    private readonly int _listenFd;
    private readonly EpollLoop[] _loops;
    private readonly Action<int, IPEndPoint?, EpollLoop> _accepted;
    private Timer? _resumeTimer;
    private int _next;
    private volatile bool _stopped;

    public EpollAcceptor(Socket listenSocket, EpollLoop[] loops, Action<int, IPEndPoint?, EpollLoop> accepted)
    {
        _listenSocket = listenSocket;
        _listenSocket.Blocking = false;
        _listenFd = (int)listenSocket.Handle;
        _loops = loops;
        _accepted = accepted;
    }

    public void Start()
    {
        _loops[0].ListenReadable = OnReadable;
        _loops[0].Control(EPOLL_CTL_ADD, _listenFd, EPOLLIN, EpollLoop.ListenToken);
    }

    private void OnReadable()
    {
        byte* address = stackalloc byte[28]; // sockaddr_in6, the larger of the two
        for (int i = 0; i < MaxAcceptsPerWake && !_stopped; i++)
        {
            int length = 28;
            int fd = accept4(_listenFd, address, &length, SOCK_NONBLOCK | SOCK_CLOEXEC);
            if (fd < 0)
            {
                int error = LastError;
                if (error is EINTR or ECONNABORTED) continue;
                if (error is EMFILE or ENFILE) PauseAccepting(); // level-triggered: would spin until a descriptor frees up
                else if (error != EAGAIN) Trace.TraceWarning($"accept4 failed: errno {error}");
                return;
            }
            int one = 1;
            setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(int));
            var loop = _loops[(int)((uint)Interlocked.Increment(ref _next) % (uint)_loops.Length)];
            _accepted(fd, ToEndPoint(address, length), loop);
        }
    }

    private void PauseAccepting()
    {
        _loops[0].Control(EPOLL_CTL_MOD, _listenFd, 0, EpollLoop.ListenToken);
        _resumeTimer ??= new Timer(_ =>
        {
            if (!_stopped) _loops[0].Control(EPOLL_CTL_MOD, _listenFd, EPOLLIN, EpollLoop.ListenToken);
        });
        _resumeTimer.Change(100, Timeout.Infinite);
    }

    private static IPEndPoint? ToEndPoint(byte* address, int length)
    {
        ushort family = *(ushort*)address;
        int port = BinaryPrimitives.ReverseEndianness(*(ushort*)(address + 2));
        if (family == AF_INET && length >= 8)
            return new IPEndPoint(new IPAddress(new ReadOnlySpan<byte>(address + 4, 4)), port);
        if (family == AF_INET6 && length >= 24)
            return new IPEndPoint(new IPAddress(new ReadOnlySpan<byte>(address + 8, 16)), port);
        return null;
    }

    public void Dispose()
    {
        _stopped = true;
        _loops[0].Control(EPOLL_CTL_DEL, _listenFd, 0, EpollLoop.ListenToken);
        _resumeTimer?.Dispose();
        _listenSocket.Close();
    }
}
