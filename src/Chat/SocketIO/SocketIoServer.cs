using FastRealtime.Core.Rooms;
using FastRealtime.Core.Timing;
using FastRealtime.Transport.EngineIO;
using FastRealtime.Transport.Http;
using FastRealtime.Transport.Server;

namespace FastRealtime.Chat.SocketIO;

/// <summary>
/// A Socket.IO v5 server over Engine.IO v4: namespaces registered with their handlers, served at <c>/socket.io/</c>.
/// </summary>
/// <example>
/// <code>
/// var io = new SocketIoServer();
/// io.AddNamespace("/chat", new ChatNamespace());
/// io.Map(router);
/// </code>
/// </example>
public sealed class SocketIoServer : IEngineIoHandler
{
    private ISocketIoNamespaceBinding[] _namespaces = [];
    private readonly Lock _sync = new();

    public SocketIoServer(SocketIoServerOptions? options = null, TimerWheel? timerWheel = null)
    {
        Options = options ?? new SocketIoServerOptions();
        TimerWheel = timerWheel ?? TimerWheel.Shared;
        Engine = new EngineIoServer(this, Options.EngineIo, TimerWheel);
    }

    public SocketIoServerOptions Options { get; }

    public TimerWheel TimerWheel { get; }

    public EngineIoServer Engine { get; }

    /// <summary>Registers a namespace ("chat" and "/chat" are the same). Register before serving.</summary>
    public SocketIoNamespace AddNamespace(string name, ISocketIoNamespace handler, RoomRegistryOptions? rooms = null)
    {
        name = name.StartsWith('/') ? name : "/" + name;
        var ns = new SocketIoNamespace(this, name, handler, rooms);
        Add(ns);
        return ns;
    }

    /// <summary>Serves a namespace through another binding (a gateway namespace: <c>GatewayServer.MapSocketIo</c>).</summary>
    internal void Add(ISocketIoNamespaceBinding binding)
    {
        lock (_sync)
        {
            if (Array.Exists(_namespaces, ns => ns.Name == binding.Name))
                throw new InvalidOperationException($"Namespace {binding.Name} is already registered.");
            _namespaces = [.. _namespaces, binding];
        }
    }

    /// <summary>The application namespace registered with <see cref="AddNamespace"/> (null for none, or a gateway's).</summary>
    public SocketIoNamespace? GetNamespace(string name) =>
        Array.Find(Volatile.Read(ref _namespaces), ns => ns.Name == name) as SocketIoNamespace;

    /// <summary>Every namespace served: "/" and "/chat", application or gateway.</summary>
    public IEnumerable<string> NamespaceNames => Volatile.Read(ref _namespaces).Select(ns => ns.Name);

    internal ISocketIoNamespaceBinding? FindNamespace(ReadOnlySpan<byte> utf8Name)
    {
        foreach (var ns in Volatile.Read(ref _namespaces))
            if (utf8Name.SequenceEqual(ns.NameUtf8)) return ns;
        return null;
    }

    /// <summary>Serves Socket.IO at <paramref name="path"/> (long-polling and WebSocket).</summary>
    public EndpointRouter Map(EndpointRouter router, string path = EngineIoServer.DefaultPath) => Engine.Map(router, path);

    void IEngineIoHandler.OnOpen(EngineIoSession session, HttpRequestHead request) =>
        session.State = new SocketIoClient(this, session, request);

    void IEngineIoHandler.OnMessage(EngineIoSession session, ReadOnlySpan<byte> data, bool isBinary) =>
        ((SocketIoClient)session.State!).OnMessage(data, isBinary);

    void IEngineIoHandler.OnClose(EngineIoSession session, string reason) =>
        (session.State as SocketIoClient)?.OnSessionClosed(reason);
}
