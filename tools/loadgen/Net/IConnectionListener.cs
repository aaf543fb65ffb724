using System.Buffers;
using FastRealtime.Transport.WebSockets;

namespace FastRealtime.LoadGen.Net;

/// <summary>
/// A scenario's per-connection logic. Called only from the connection's receive loop, one call at a time.
/// </summary>
public interface IConnectionListener
{
    /// <summary>A complete message; the payload is valid only during the call.</summary>
    void OnMessage(WebSocketMessageKind kind, in ReadOnlySequence<byte> payload);

    /// <summary>After each batch of parsed messages: the place to send replies (echo refills its window here).
    /// Return a completed ValueTask when there is nothing to send.</summary>
    ValueTask OnBatchEndAsync();
}
