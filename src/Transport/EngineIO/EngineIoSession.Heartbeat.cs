namespace FastRealtime.Transport.EngineIO;

public sealed partial class EngineIoSession
{
    // Deadlines in Environment.TickCount64 milliseconds, 0 = none; guarded by _sync. The session is one entry on the
    // shared wheel (engine.io-protocol v4, "Heartbeat": the server pings every pingInterval and closes when no pong
    // comes within pingTimeout). Only set-up calls and the timer callback itself schedule the entry: a pong just moves
    // the deadlines, and the pending expiry (the pong deadline, never later than the next ping) picks them up. So the
    // receive path never races the wheel thread over the entry, and a heartbeat costs no wheel lock on receive.
    private long _pingDue;
    private long _pongDeadline;
    private long _upgradeDeadline;

    internal void StartHeartbeat()
    {
        lock (_sync) _pingDue = Environment.TickCount64 + (long)_options.PingInterval.TotalMilliseconds;
        Reschedule();
    }

    private void ArmUpgradeDeadline()
    {
        lock (_sync) _upgradeDeadline = Environment.TickCount64 + (long)_options.UpgradeTimeout.TotalMilliseconds;
        Reschedule();
    }

    private void OnPong()
    {
        lock (_sync)
        {
            if (_pongDeadline == 0) return; // unsolicited: nothing to settle
            _pongDeadline = 0;
            _pingDue = Environment.TickCount64 + (long)_options.PingInterval.TotalMilliseconds;
        }
    }

    private void Reschedule()
    {
        long next = long.MaxValue;
        lock (_sync)
        {
            foreach (long deadline in (ReadOnlySpan<long>)[_pongDeadline != 0 ? _pongDeadline : _pingDue, _upgradeDeadline])
                if (deadline != 0 && deadline < next) next = deadline;
        }
        if (IsClosed || next == long.MaxValue) return;
        _server.TimerWheel.Schedule(this, TimeSpan.FromMilliseconds(Math.Max(1, next - Environment.TickCount64)));
    }

    // Runs on the wheel's thread; the wheel may fire up to one tick early, so every deadline is re-checked here.
    protected override void OnTimerExpired()
    {
        if (IsClosed)
        {
            ForgetLingering();
            return;
        }
        long now = Environment.TickCount64;
        bool timedOut = false, sendPing = false, upgradeExpired = false;
        lock (_sync)
        {
            if (_pongDeadline != 0) timedOut = now >= _pongDeadline;
            else if (now >= _pingDue)
            {
                sendPing = true;
                _pongDeadline = now + (long)_options.PingTimeout.TotalMilliseconds;
            }
            if (_upgradeDeadline != 0 && (now >= _upgradeDeadline || _probe is null))
            {
                upgradeExpired = _probe is not null;
                _upgradeDeadline = 0;
            }
        }
        if (timedOut)
        {
            Close("ping timeout");
            return;
        }
        if (upgradeExpired) ExpireUpgrade();
        if (sendPing) SendText(EngineIoPacketType.Ping, ReadOnlySpan<byte>.Empty);
        Reschedule();
    }

    // The closed session's grace for delivering "1" to a poll is over.
    private void ForgetLingering()
    {
        lock (_sync) _closePacketPending = false;
        _server.Forget(this);
    }
}
