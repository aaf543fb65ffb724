using System.Buffers;

namespace FastRealtime.Core.Connections;

/// <summary>Gives every accepted connection its first protocol (for the server: HTTP, which may switch to WebSocket).</summary>
public interface IConnectionHandler
{
    /// <summary>Called once per accepted connection before any byte is read; sets <see cref="Connection.Protocol"/>.</summary>
    void OnConnected(Connection connection);
}

/// <summary>
/// The protocol running on a connection, driven by callbacks from the socket core: no task, buffer or timer of its
/// own while the connection is idle.
/// </summary>
/// <remarks>
/// <see cref="OnData"/> calls for one connection never overlap, and none comes after <see cref="OnClosed"/>.
/// Timer and shutdown callbacks come from the timer or shutdown thread: keep them short, never block.
/// </remarks>
public interface IConnectionProtocol
{
    /// <summary>
    /// Bytes arrived. Consume what you can by slicing <paramref name="buffer"/>; what is left is kept and offered
    /// again, with what arrives next. The bytes are valid only during the call.
    /// </summary>
    void OnData(Connection connection, ref ReadOnlySequence<byte> buffer);

    /// <summary>The connection's timer (see <see cref="Connection.ScheduleTimer"/>) expired.</summary>
    void OnTimer(Connection connection);

    /// <summary>The server is stopping: say goodbye in the protocol's words (WebSocket: close 1001).</summary>
    void OnShutdownRequested(Connection connection);

    /// <summary>The connection has ended (for any reason); called exactly once.</summary>
    void OnClosed(Connection connection);
}
