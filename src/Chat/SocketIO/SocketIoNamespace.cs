using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using FastRealtime.Core.Rooms;
using FastRealtime.Transport.EngineIO;
using FastRealtime.Transport.SocketIO;

namespace FastRealtime.Chat.SocketIO;

/// <summary>
/// One Socket.IO namespace: its application handler, its sockets and its rooms, and the namespace-level emits
/// (to everyone, a room, rooms, one socket, with exceptions), each encoded once per wire form through the room registry.
/// </summary>
public sealed class SocketIoNamespace : ISocketIoNamespaceBinding
{
    private readonly ConcurrentDictionary<string, SocketIoSocket> _sockets = new(StringComparer.Ordinal);

    internal SocketIoNamespace(SocketIoServer server, string name, ISocketIoNamespace handler, RoomRegistryOptions? rooms)
    {
        Server = server;
        Name = name;
        NameUtf8 = Encoding.UTF8.GetBytes(name);
        Handler = handler;
        Rooms = new RoomRegistry(rooms);
    }

    public SocketIoServer Server { get; }

    /// <summary>"/" or "/chat" (always with the leading slash).</summary>
    public string Name { get; }

    public byte[] NameUtf8 { get; }

    public ISocketIoNamespace Handler { get; }

    /// <summary>The namespace's rooms; every connected socket is in the everyone set and in the room named by its id.</summary>
    public RoomRegistry Rooms { get; }

    public int SocketCount => _sockets.Count;

    public SocketIoSocket? FindSocket(string id) => _sockets.GetValueOrDefault(id);

    public ICollection<SocketIoSocket> Sockets => _sockets.Values;

    /// <summary>Emits to every socket of the namespace.</summary>
    public BroadcastResult Emit(string eventName, params object?[] args) => Emit(BroadcastTarget.ToEveryone(), eventName, args);

    /// <summary>Emits to a target: <c>ns.Emit(BroadcastTarget.ToRoom("general").Except(sender), "chat:message", message)</c>.</summary>
    public BroadcastResult Emit(scoped in BroadcastTarget target, string eventName, params object?[] args)
    {
        var payload = SocketIoPayload.Create(args, Server.Options.Json);
        return EmitRaw(target, SocketIoPayload.QuotedName(eventName), payload.Arguments.Span, payload.Attachments);
    }

    /// <summary>The allocation-free broadcast: pre-encoded name and raw JSON arguments, framed once per wire form.</summary>
    public BroadcastResult EmitRaw(scoped in BroadcastTarget target, ReadOnlySpan<byte> quotedName, ReadOnlySpan<byte> arguments,
        ReadOnlySpan<ReadOnlyMemory<byte>> attachments = default, bool isVolatile = false) =>
        Rooms.Broadcast(target, new SocketIoBroadcastEncoder(NameUtf8, quotedName, arguments, attachments), isVolatile);

    void ISocketIoNamespaceBinding.Connect(SocketIoClient client, JsonElement? auth)
    {
        var socket = new SocketIoSocket(client, this, EngineIoSessionId.Create());
        ValueTask accepted;
        try
        {
            accepted = Handler.OnConnect(socket, auth);
        }
        catch (Exception ex)
        {
            Refuse(client, ex);
            return;
        }
        if (accepted.IsCompletedSuccessfully) Accept(client, socket);
        else _ = AcceptLaterAsync(client, socket, accepted);
    }

    private async Task AcceptLaterAsync(SocketIoClient client, SocketIoSocket socket, ValueTask accepted)
    {
        try
        {
            await accepted.ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            Refuse(client, ex);
            return;
        }
        Accept(client, socket);
    }

    private void Accept(SocketIoClient client, SocketIoSocket socket)
    {
        if (!client.TryAdd(socket)) return;
        Add(socket);
        client.SendConnected(NameUtf8, socket.Id);
    }

    private void Refuse(SocketIoClient client, Exception ex) =>
        client.SendConnectError(NameUtf8, ex.Message, (ex as SocketIoConnectException)?.ErrorData);

    private void Add(SocketIoSocket socket)
    {
        _sockets[socket.Id] = socket;
        Rooms.AddMember(socket);
        Rooms.Join(socket, socket.Id);
    }

    internal void Remove(SocketIoSocket socket)
    {
        _sockets.TryRemove(KeyValuePair.Create(socket.Id, socket));
        Rooms.RemoveMember(socket);
    }
}
