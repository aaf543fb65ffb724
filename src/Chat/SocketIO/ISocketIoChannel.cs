using System.Text.Json;

namespace FastRealtime.Chat.SocketIO;

/// <summary>
/// What a namespace is to the session's packet router (<see cref="SocketIoClient"/>): a name and a way to answer a
/// CONNECT. Two kinds: <see cref="SocketIoNamespace"/> (an <see cref="ISocketIoNamespace"/> application) and a gateway
/// namespace bound through <c>GatewayServer.MapSocketIo</c>.
/// </summary>
internal interface ISocketIoNamespaceBinding
{
    /// <summary>"/" or "/chat".</summary>
    string Name { get; }

    byte[] NameUtf8 { get; }

    /// <summary>
    /// A CONNECT for this namespace, on the session's receive path. Answers CONNECT <c>{sid}</c> (after registering a
    /// channel with <see cref="SocketIoClient.TryAdd"/>) or CONNECT_ERROR, now or later.
    /// </summary>
    void Connect(SocketIoClient client, JsonElement? auth);
}

/// <summary>One client's connection to one namespace, as the router delivers packets to it.</summary>
/// <remarks>
/// <see cref="OnEvent"/> and <see cref="OnAck"/> run on the session's receive path, one at a time, in order;
/// <see cref="OnClosed"/> may come from any thread (a heartbeat timeout) and must be idempotent.
/// </remarks>
internal interface ISocketIoChannel
{
    ReadOnlySpan<byte> NamespaceUtf8 { get; }

    void OnEvent(in SocketIoEvent message);

    void OnAck(long ackId, ReadOnlySpan<byte> data, ReadOnlySpan<ReadOnlyMemory<byte>> attachments);

    /// <summary>The channel ended: the client's DISCONNECT ("client namespace disconnect") or the session's end (its reason).</summary>
    void OnClosed(string reason);
}
