using System.Collections.Concurrent;
using System.Text;
using FastRealtime.LoadGen.Net;
using FastRealtime.LoadGen.Options;

namespace FastRealtime.LoadGen.Sessions;

/// <summary>
/// Creates the protocol session of each new connection for protocols that have one (socketio, signalr); the frames
/// they send at opening are built once per run (join frames once per room).
/// </summary>
public sealed class SessionFactory
{
    private readonly LoadProtocolKind _protocol;
    private readonly string _namespace;
    private readonly byte[]? _connectFrame;
    private readonly ConcurrentDictionary<string, byte[]> _joinFrames = new(StringComparer.Ordinal);

    private SessionFactory(LoadOptions options)
    {
        _protocol = options.Protocol;
        _namespace = options.Namespace;
        if (_protocol == LoadProtocolKind.SocketIo)
            _connectFrame = SessionConnection.MaskedTextFrame(Encoding.UTF8.GetBytes(SocketIoSession.ConnectPacket(options.Namespace, options.Auth)));
    }

    /// <summary>The factory for <paramref name="options"/>' protocol, or null when it runs straight on WebSocket messages.</summary>
    public static SessionFactory? For(LoadOptions options) =>
        options.Protocol is LoadProtocolKind.SocketIo or LoadProtocolKind.SignalR ? new SessionFactory(options) : null;

    /// <summary>A session over <paramref name="connection"/> that joins <paramref name="room"/> (when not null) as it opens;
    /// <paramref name="auth"/>, when given, replaces the run's Socket.IO CONNECT auth object for this connection.</summary>
    public SessionConnection Create(IClientConnection connection, string? room, string? auth = null) => _protocol switch
    {
        LoadProtocolKind.SocketIo => new SocketIoSession(connection,
            auth is null ? _connectFrame! : SessionConnection.MaskedTextFrame(Encoding.UTF8.GetBytes(SocketIoSession.ConnectPacket(_namespace, auth))),
            room is null ? null : JoinFrame(room)),
        _ => new SignalRSession(connection, room is null ? null : JoinFrame(room)),
    };

    private byte[] JoinFrame(string room) => _joinFrames.GetOrAdd(room, r => SessionConnection.MaskedTextFrame(Encoding.UTF8.GetBytes(
        _protocol == LoadProtocolKind.SocketIo ? SocketIoSession.JoinPacket(_namespace, r) : SignalRSession.JoinRecord(r))));
}
