using System.Buffers;
using FastRealtime.LoadGen.Net;
using FastRealtime.LoadGen.Protocols;
using FastRealtime.Transport.WebSockets;

namespace FastRealtime.LoadGen.Sessions;

/// <summary>
/// The client side of a Socket.IO session over Engine.IO v4's websocket transport (no polling, no upgrade):
/// the server speaks first with the open packet <c>0{"sid":…}</c>; the client sends CONNECT (<c>40</c>, or
/// <c>40/ns,</c> with an optional auth object) and waits for the server's <c>40{"sid":…}</c>; in the broadcast scenario
/// it then emits <c>join(room)</c> with an ack and waits for that ack. From then on EVENT and ACK packets go to the
/// scenario; Engine.IO pings (<c>2</c>) are answered with pongs (<c>3</c>) at once (protocol v4: the server pings).
/// </summary>
/// <remarks>State is touched only by the receive path (one call at a time), after the constructor.</remarks>
public sealed class SocketIoSession : SessionConnection
{
    private static readonly byte[] Pong = MaskedTextFrame("3"u8);

    private const int AwaitingOpen = 0, AwaitingConnect = 1, AwaitingJoin = 2, Open = 3;

    private readonly byte[] _connectFrame;
    private readonly byte[]? _joinFrame;
    private int _state;

    /// <param name="connectFrame">The masked CONNECT frame (<see cref="SessionFactory"/> builds it once per run).</param>
    /// <param name="joinFrame">The masked <c>join</c> EVENT with ack to send after CONNECT, or null.</param>
    public SocketIoSession(IClientConnection inner, byte[] connectFrame, byte[]? joinFrame) : base(inner)
    {
        _connectFrame = connectFrame;
        _joinFrame = joinFrame;
    }

    protected override string Kind => "socketio";

    protected override string PendingStep => Volatile.Read(ref _state) switch { AwaitingOpen => "open", AwaitingConnect => "connect", _ => "join" };

    /// <summary>The CONNECT packet: <c>40</c>, <c>40/chat,</c>, <c>40{"token":"…"}</c> or <c>40/chat,{"token":"…"}</c>.</summary>
    public static string ConnectPacket(string nameSpace, string? auth) => "40" + SocketIoProtocol.NamespacePrefix(nameSpace) + (auth ?? "");

    /// <summary>The join EVENT with the request ack id: <c>421["join","room-0"]</c>.</summary>
    public static string JoinPacket(string nameSpace, string room) =>
        $"42{SocketIoProtocol.NamespacePrefix(nameSpace)}{SocketIoProtocol.RequestAckId}[\"join\",{TextPayloads.Quote(room)}]";

    protected override void OnTransportMessage(WebSocketMessageKind kind, in ReadOnlySequence<byte> payload)
    {
        SocketIoPacketHead head = SocketIoPacketHead.Parse(payload);
        switch (head.Engine)
        {
            case SocketIoPacketHead.EnginePing:
                SendControl(Pong);
                return;
            case SocketIoPacketHead.EngineOpen:
                if (_state != AwaitingOpen) return;
                _state = AwaitingConnect;
                SendControl(_connectFrame);
                return;
            case SocketIoPacketHead.EngineMessage:
                break;
            default:
                return; // close (the server closes the socket next), noop
        }

        switch (head.Socket)
        {
            case SocketIoPacketHead.Connect when _state == AwaitingConnect:
                if (_joinFrame is null) OpenNow();
                else
                {
                    _state = AwaitingJoin;
                    SendControl(_joinFrame);
                }
                return;
            case SocketIoPacketHead.ConnectError:
                Failed("socketio-connect-error");
                return;
            case SocketIoPacketHead.Ack when _state == AwaitingJoin:
                OpenNow();
                return;
            case SocketIoPacketHead.Disconnect:
                return;
        }
        if (_state == Open) Deliver(kind, payload);
    }

    private void OpenNow()
    {
        _state = Open;
        Opened();
    }
}
