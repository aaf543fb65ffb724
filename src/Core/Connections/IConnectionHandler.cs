namespace FastRealtime.Core.Connections;

/// <summary>
/// The application protocol that owns a connection from accept to close (for the server: HTTP, then
/// WebSocket). The connection closes, after draining what was queued, when the returned task ends.
/// </summary>
public interface IConnectionHandler
{
    Task OnConnectedAsync(Connection connection);
}

/// <summary>
/// Callbacks the socket core makes into the protocol currently running on a connection.
/// Both run on the timer or shutdown thread: keep them short, never block.
/// </summary>
public interface IConnectionProtocol
{
    /// <summary>The connection's timer (see <see cref="Connection.ScheduleTimer"/>) expired.</summary>
    void OnTimer(Connection connection);

    /// <summary>The server is stopping: say goodbye in the protocol's words (WebSocket: close 1001).</summary>
    void OnShutdownRequested(Connection connection);
}
