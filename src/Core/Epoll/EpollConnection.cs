using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Threading.Tasks.Sources;
using FastRealtime.Core.Connections;
using FastRealtime.Core.Metrics;
using FastRealtime.Core.Timing;
using Microsoft.Extensions.Logging;
using static FastRealtime.Core.Epoll.LibC;

namespace FastRealtime.Core.Epoll;

/// <summary>
/// A connection served by an <see cref="EpollLoop"/>: a raw non-blocking file descriptor, readiness from the loop,
/// reads into the loop thread's buffer, writes straight to the kernel. It holds no Socket, no event args and no
/// buffer while idle — the lean path to many concurrent connections.
/// </summary>
/// <remarks>
/// The descriptor is reference-counted: every system call on it holds a reference, and it is closed when the last
/// one goes, so a descriptor number is never reused while another thread may still call into it.
/// Interest changes (pause, wait for writable) go through one small spin lock; they happen per event, not per message.
/// </remarks>
internal sealed class EpollConnection : Connection, IEpollWork
{
    internal const int WorkWrite = 1, WorkReceive = 2, WorkClosed = 4;

    private readonly EpollLoop _loop;
    private readonly int _fd;
    private readonly ulong _token;
    private int _fdReferences = 1; // the connection's own, dropped by CloseCore
    private int _work;             // WorkWrite | WorkReceive | WorkClosed waiting for the loop
    private int _interestLock;
    private uint _interest;
    private bool _readInterest = true;
    private bool _removed;
    private int _waitingWritable;
    private WritableSignal? _writable; // created the first time the kernel's send buffer fills up
    private Action<EpollConnection, int>? _connected; // while an outgoing connect is under way
    private readonly uint _remoteV4;
    private readonly ushort _remotePort;
    private readonly IPEndPoint? _remoteOther;

    public EpollConnection(int fd, IPEndPoint? remoteEndPoint, EpollLoop loop, ConnectionContext context)
        : base(context)
    {
        // An IPv4 peer is kept as 6 bytes, not as two objects: idle memory per connection is the product.
        if (remoteEndPoint is { AddressFamily: AddressFamily.InterNetwork } v4)
        {
            Span<byte> bytes = stackalloc byte[4];
            v4.Address.TryWriteBytes(bytes, out _);
            _remoteV4 = BitConverter.ToUInt32(bytes);
            _remotePort = (ushort)v4.Port;
        }
        else
        {
            _remoteOther = remoteEndPoint;
        }
        _fd = fd;
        _loop = loop;
        _token = EpollConnectionTable.Register(this);
    }

    /// <summary>Waits for a non-blocking connect to finish; <paramref name="connected"/> gets the result (0 or errno) on the loop thread.</summary>
    internal void BeginConnect(Action<EpollConnection, int> connected)
    {
        _connected = connected;
        _interest = EPOLLOUT;
        if (!_loop.Control(EPOLL_CTL_ADD, _fd, _interest, _token)) CompleteConnect(LastError);
    }

    private unsafe void CompleteConnect(int error)
    {
        var connected = _connected!;
        _connected = null;
        if (error == 0)
        {
            int length = sizeof(int);
            getsockopt(_fd, SOL_SOCKET, SO_ERROR, &error, &length);
        }
        connected(this, error);
    }

    private protected override void StartReceiving()
    {
        MarkReceivePathActive();
        bool registered = _interest != 0; // an outgoing connection is in the set already
        _interest = EPOLLIN | EPOLLRDHUP;
        if (!_loop.Control(registered ? EPOLL_CTL_MOD : EPOLL_CTL_ADD, _fd, _interest, _token))
        {
            Abort(ConnectionEndReason.RemoteReset);
            ExitReceivePath();
        }
    }

    public override IPEndPoint? RemoteEndPoint => _remoteOther ?? (_remotePort == 0 && _remoteV4 == 0 ? null : new IPEndPoint(_remoteV4, _remotePort));

    /// <summary>Readiness from the loop (on the loop thread).</summary>
    internal void OnEvents(uint events)
    {
        if (_connected is not null)
        {
            CompleteConnect(0);
            return;
        }
        if ((events & (EPOLLOUT | EPOLLERR | EPOLLHUP)) != 0 && Volatile.Read(ref _waitingWritable) != 0)
            CompleteWritable(true);
        if ((events & (EPOLLIN | EPOLLRDHUP | EPOLLERR | EPOLLHUP)) != 0)
            OnReadable();
    }

    private unsafe void OnReadable()
    {
        if (IsReceivePathExited)
        {
            SetReadInterest(false);
            return;
        }
        if (IsClosed)
        {
            ExitReceivePath();
            return;
        }
        if (IsPaused && !IsClosing)
        {
            if (TryParkReceivePath())
            {
                SetReadInterest(false); // level-triggered: stop the events until resumed
                return;
            }
            DeliverLeftover();
        }
        if (!TryAddFdReference())
        {
            ExitReceivePath();
            return;
        }
        try
        {
            var buffer = ThreadReceiveBuffer;
            // A few reads per readiness at most, so one busy connection cannot starve the loop's others.
            for (int reads = 0; reads < 4; reads++)
            {
                nint received;
                fixed (byte* start = buffer)
                    received = recv(_fd, start, buffer.Length, 0);
                if (received > 0)
                {
                    OnBytesReceived((int)received);
                    if (received < buffer.Length || IsClosed || (IsPaused && !IsClosing)) return;
                    continue;
                }
                if (received == 0)
                {
                    SetReadInterest(false);
                    OnPeerFinished();
                    ExitReceivePath();
                    return;
                }
                int error = LastError;
                if (error == EAGAIN) return;
                if (error == EINTR) continue;
                SetReadInterest(false);
                EndFromSocketError(ToSocketError(error));
                ExitReceivePath();
                return;
            }
        }
        finally
        {
            ReleaseFdReference();
        }
    }

    private protected override void KickReceivingCore() => PostWork(WorkReceive);

    private protected override void ScheduleWriter() => _loop.ScheduleWriter(this);

    internal void RunWriterNow() => RunWriter();

    /// <summary>Asks the loop to run <paramref name="work"/> for this connection; repeated asks coalesce.</summary>
    internal void PostWork(int work)
    {
        if (Interlocked.Or(ref _work, work) == 0) _loop.Post(this);
    }

    void IEpollWork.Execute()
    {
        int work = Interlocked.Exchange(ref _work, 0);
        if ((work & WorkWrite) != 0) RunWriter();
        if ((work & (WorkReceive | WorkClosed)) != 0 && !IsReceivePathExited)
        {
            if (IsClosed)
            {
                ExitReceivePath();
                return;
            }
            SetReadInterest(true);
            DeliverLeftover();
        }
    }

    private protected override ValueTask<SocketOperationResult> SendCoreAsync(ReadOnlyMemory<byte> data)
    {
        if (!TryAddFdReference()) return new(new SocketOperationResult(0, SocketError.Shutdown));
        int sent = SendNow(data, 0, out int error);
        if (sent == data.Length)
        {
            ReleaseFdReference();
            return new(new SocketOperationResult(sent, SocketError.Success));
        }
        return SendRestAsync(data, sent, error);
    }

    // The kernel's buffer is full: wait for EPOLLOUT and go on (the reference taken above is held until done).
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<SocketOperationResult> SendRestAsync(ReadOnlyMemory<byte> data, int sent, int error)
    {
        try
        {
            while (true)
            {
                if (error != 0) return new SocketOperationResult(sent, ToSocketError(error));
                if (!await WaitWritableAsync()) return new SocketOperationResult(sent, SocketError.Shutdown);
                sent += SendNow(data, sent, out error);
                if (sent == data.Length) return new SocketOperationResult(sent, SocketError.Success);
            }
        }
        finally
        {
            ReleaseFdReference();
        }
    }

    // Writes as much as the kernel takes now. error is 0 when it stopped only because the buffer is full.
    private unsafe int SendNow(ReadOnlyMemory<byte> data, int offset, out int error)
    {
        error = 0;
        int sent = 0;
        var span = data.Span[offset..];
        fixed (byte* start = span)
        {
            while (sent < span.Length)
            {
                nint written = send(_fd, start + sent, span.Length - sent, MSG_NOSIGNAL | MSG_DONTWAIT);
                if (written > 0)
                {
                    sent += (int)written;
                    continue;
                }
                int code = LastError;
                if (code == EINTR) continue;
                if (code != EAGAIN) error = code == 0 ? EPIPE : code;
                break;
            }
        }
        return sent;
    }

    private ValueTask<bool> WaitWritableAsync()
    {
        var signal = _writable ??= new WritableSignal();
        var wait = signal.Arm();
        Volatile.Write(ref _waitingWritable, 1);
        UpdateInterest();
        if (IsClosed) CompleteWritable(false);
        return wait;
    }

    private void CompleteWritable(bool writable)
    {
        if (Interlocked.Exchange(ref _waitingWritable, 0) == 0) return;
        UpdateInterest();
        _writable!.Set(writable);
    }

    private void SetReadInterest(bool on)
    {
        if (_readInterest == on) return;
        _readInterest = on;
        UpdateInterest();
    }

    private void UpdateInterest()
    {
        while (Interlocked.CompareExchange(ref _interestLock, 1, 0) != 0) Thread.SpinWait(1);
        try
        {
            if (_removed) return;
            uint wanted = EPOLLRDHUP | (_readInterest ? EPOLLIN : 0) | (Volatile.Read(ref _waitingWritable) != 0 ? EPOLLOUT : 0);
            if (wanted == _interest) return;
            _interest = wanted;
            _loop.Control(EPOLL_CTL_MOD, _fd, wanted, _token);
        }
        finally
        {
            Volatile.Write(ref _interestLock, 0);
        }
    }

    private protected override void ShutdownSendCore()
    {
        if (!TryAddFdReference()) return;
        shutdown(_fd, SHUT_WR);
        ReleaseFdReference();
    }

    private protected override void CloseCore()
    {
        while (Interlocked.CompareExchange(ref _interestLock, 1, 0) != 0) Thread.SpinWait(1);
        bool wasRemoved = _removed;
        _removed = true;
        Volatile.Write(ref _interestLock, 0);
        if (wasRemoved) return;
        _loop.Control(EPOLL_CTL_DEL, _fd, 0, _token);
        CompleteWritable(false);
        PostWork(WorkClosed); // the receive path, waiting on events that will never come, must see the end
        ReleaseFdReference();
    }

    private protected override void OnFinished() => EpollConnectionTable.Unregister(_token);

    private bool TryAddFdReference()
    {
        int current = Volatile.Read(ref _fdReferences);
        while (current > 0)
        {
            int seen = Interlocked.CompareExchange(ref _fdReferences, current + 1, current);
            if (seen == current) return true;
            current = seen;
        }
        return false;
    }

    private void ReleaseFdReference()
    {
        if (Interlocked.Decrement(ref _fdReferences) == 0) close(_fd);
    }

    private static SocketError ToSocketError(int errno) => errno switch
    {
        ECONNRESET => SocketError.ConnectionReset,
        EPIPE => SocketError.Shutdown,
        EBADF => SocketError.OperationAborted,
        _ => SocketError.SocketError,
    };

    /// <summary>The writer's wait for EPOLLOUT, reusable, allocation-free per wait.</summary>
    private sealed class WritableSignal : IValueTaskSource<bool>
    {
        private ManualResetValueTaskSourceCore<bool> _core;

        public WritableSignal() => _core.RunContinuationsAsynchronously = false;

        public ValueTask<bool> Arm()
        {
            _core.Reset();
            return new ValueTask<bool>(this, _core.Version);
        }

        public void Set(bool writable) => _core.SetResult(writable);

        bool IValueTaskSource<bool>.GetResult(short token) => _core.GetResult(token);

        ValueTaskSourceStatus IValueTaskSource<bool>.GetStatus(short token) => _core.GetStatus(token);

        void IValueTaskSource<bool>.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
            _core.OnCompleted(continuation, state, token, flags & ~ValueTaskSourceOnCompletedFlags.FlowExecutionContext);
    }
}
