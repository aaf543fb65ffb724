using System.Buffers;
using FastRealtime.Transport.WebSockets;

namespace FastRealtime.LoadGen.Net;

/// <summary>
/// A scenario's per-connection logic. Calls for one connection never overlap; with the epoll engine they come
/// from an event-loop thread, so they must never block (sending is <see cref="IClientConnection.Send"/>, which queues).
/// </summary>
public interface IConnectionListener
{
    /// <summary>A complete message; the payload is valid only during the call.</summary>
    void OnMessage(WebSocketMessageKind kind, in ReadOnlySequence<byte> payload);

    /// <summary>After each batch of parsed messages: the place to send replies (echo refills its window here).</summary>
    void OnBatchEnd();
}
