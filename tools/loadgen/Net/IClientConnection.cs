namespace FastRealtime.LoadGen.Net;

/// <summary>
/// One open client WebSocket connection as the scenarios see it, whichever engine runs it
/// (<see cref="EpollWsClientProtocol"/> on Linux x64, <see cref="SocketWsConnection"/> elsewhere).
/// </summary>
/// <remarks>Thread safety: <see cref="Send"/>, <see cref="CloseAsync"/> and <see cref="Abort"/> may be called from
/// any thread (a pacer, the scenario, the listener's own callbacks).</remarks>
public interface IClientConnection
{
    /// <summary>Why the connection ended; <see cref="ConnectionEnd.None"/> while open.</summary>
    ConnectionEnd End { get; }

    /// <summary>
    /// Hands every message, from now on, to <paramref name="listener"/> (messages that arrived before are handed
    /// over first, in order). Completes when the connection ends. With <paramref name="releaseBufferWhenIdle"/> an
    /// idle connection holds no receive buffer (the epoll engine never holds one while idle).
    /// </summary>
    Task<ConnectionEnd> RunAsync(IConnectionListener listener, bool releaseBufferWhenIdle);

    /// <summary>Sends whole, masked frames. False when the connection is gone (the caller counts it, no exception).</summary>
    bool Send(ReadOnlySpan<byte> frames);

    /// <summary>Sends a close frame (1000) and closes; bounded in time.</summary>
    Task CloseAsync();

    /// <summary>Closes without a close handshake.</summary>
    void Abort();
}
