using System.Collections.Concurrent;
using System.Diagnostics;
using static FastRealtime.Core.Epoll.LibC;

namespace FastRealtime.Core.Epoll;

/// <summary>Work another thread hands to an event loop.</summary>
internal interface IEpollWork
{
    void Execute();
}

/// <summary>
/// One event-loop thread: waits on its epoll set, reads and dispatches ready connections, runs work posted by other
/// threads, and flushes the writers its own callbacks scheduled — once per batch of events, so replies to many
/// messages of one read go out together.
/// </summary>
internal sealed unsafe class EpollLoop : IDisposable
{
    private const ulong WakeToken = ulong.MaxValue;
    internal const ulong ListenToken = ulong.MaxValue - 1;
    private const int MaxEventsPerWait = 256;

    [ThreadStatic]
    private static EpollLoop? t_current;

    private readonly int _epollFd;
    private readonly int _wakeFd;
    private readonly Thread _thread;
    private readonly ConcurrentQueue<IEpollWork> _posted = new();
    private readonly List<EpollConnection> _writersThisBatch = new();
    private int _wakePending;
    private volatile bool _stopping;

    public EpollLoop(int index)
    {
        _epollFd = epoll_create1(EPOLL_CLOEXEC);
        if (_epollFd < 0) throw new InvalidOperationException($"epoll_create1 failed: errno {LastError}");
        _wakeFd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
        if (_wakeFd < 0) throw new InvalidOperationException($"eventfd failed: errno {LastError}");
        Control(EPOLL_CTL_ADD, _wakeFd, EPOLLIN, WakeToken);
        _thread = new Thread(Run) { IsBackground = true, Name = $"fastrealtime-epoll-{index}" };
        _thread.Start();
    }

    /// <summary>Called on this loop's thread when the listening socket is readable (loop 0 only).</summary>
    public Action? ListenReadable { get; set; }

    public static bool IsOnLoopThread(EpollLoop loop) => t_current == loop;

    public bool Control(int op, int fd, uint events, ulong token)
    {
        var ev = new EpollEvent { Events = events, Data = token };
        return epoll_ctl(_epollFd, op, fd, &ev) == 0;
    }

    /// <summary>Runs <paramref name="work"/> on this loop's thread, soon.</summary>
    public void Post(IEpollWork work)
    {
        _posted.Enqueue(work);
        if (t_current == this) return; // runs after the current batch anyway
        if (Interlocked.Exchange(ref _wakePending, 1) == 0)
        {
            ulong one = 1;
            write(_wakeFd, (byte*)&one, sizeof(ulong));
        }
    }

    /// <summary>Runs the connection's writer after this batch when called on this loop, else posts it.</summary>
    public void ScheduleWriter(EpollConnection connection)
    {
        if (t_current == this) _writersThisBatch.Add(connection);
        else connection.PostWork(EpollConnection.WorkWrite);
    }

    private void Run()
    {
        t_current = this;
        var events = GC.AllocateArray<EpollEvent>(MaxEventsPerWait, pinned: true);
        fixed (EpollEvent* first = events)
        {
            while (!_stopping)
            {
                // Work posted by this thread itself did not wake us: do not sleep while some is waiting.
                int timeout = _posted.IsEmpty && _writersThisBatch.Count == 0 ? -1 : 0;
                int count = epoll_wait(_epollFd, first, MaxEventsPerWait, timeout);
                if (count < 0)
                {
                    if (LastError == EINTR) continue;
                    Trace.TraceError($"epoll_wait failed: errno {LastError}");
                    break;
                }
                for (int i = 0; i < count; i++)
                    Dispatch(first[i]);
                RunPosted();
                FlushWriters();
            }
        }
        t_current = null;
    }

    private void Dispatch(in EpollEvent ev)
    {
        try
        {
            switch (ev.Data)
            {
                case WakeToken:
                    ulong value;
                    read(_wakeFd, (byte*)&value, sizeof(ulong));
                    Volatile.Write(ref _wakePending, 0); // before the posted work runs: later posts wake us again
                    break;
                case ListenToken:
                    ListenReadable?.Invoke();
                    break;
                default:
                    EpollConnectionTable.Find(ev.Data)?.OnEvents(ev.Events);
                    break;
            }
        }
        catch (Exception ex)
        {
            // One connection's failure must never stop the loop that serves thousands of others.
            Trace.TraceError($"Event loop callback failed: {ex}");
        }
    }

    private void RunPosted()
    {
        while (_posted.TryDequeue(out var work))
        {
            try
            {
                work.Execute();
            }
            catch (Exception ex)
            {
                Trace.TraceError($"Posted work failed: {ex}");
            }
        }
    }

    private void FlushWriters()
    {
        // Index loop: a writer may schedule more while we flush.
        for (int i = 0; i < _writersThisBatch.Count; i++)
            _writersThisBatch[i].RunWriterNow();
        _writersThisBatch.Clear();
    }

    public void Dispose()
    {
        _stopping = true;
        ulong one = 1;
        write(_wakeFd, (byte*)&one, sizeof(ulong));
        if (Thread.CurrentThread != _thread) _thread.Join(TimeSpan.FromSeconds(5));
        close(_wakeFd);
        close(_epollFd);
    }
}
