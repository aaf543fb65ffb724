using System.Collections.Concurrent;
using System.Text;
using FastRealtime.Core.Timing;
using FastRealtime.Transport.Http;
using FastRealtime.Transport.Server;
using FastRealtime.Transport.WebSockets;

namespace FastRealtime.Transport.EngineIO;

/// <summary>
/// The Engine.IO v4 server at one path (default <c>/socket.io/</c>): the handshake, long-polling requests, WebSocket
/// connections and upgrades, the session table, and the engine.io server's error answers.
/// </summary>
/// <remarks>Thread safety: everything may be called from any thread; the session table is a concurrent dictionary.</remarks>
public sealed class EngineIoServer
{
    public const string DefaultPath = "/socket.io/";

    private readonly ConcurrentDictionary<string, EngineIoSession> _sessions = new(StringComparer.Ordinal);
    private readonly EngineIoCors _cors;
    private readonly EngineIoWebSocketApplication _webSocketApplication;
    private readonly string _openPacketTail;
    private readonly string _openPacketTailNoUpgrades;
    private int _sessionCount;

    public EngineIoServer(IEngineIoHandler handler, EngineIoOptions? options = null, TimerWheel? timerWheel = null)
    {
        Handler = handler;
        Options = options ?? new EngineIoOptions();
        TimerWheel = timerWheel ?? TimerWheel.Shared;
        _cors = new EngineIoCors(Options);
        _webSocketApplication = new EngineIoWebSocketApplication(this);
        string heartbeat = $"\"pingInterval\":{(long)Options.PingInterval.TotalMilliseconds},\"pingTimeout\":{(long)Options.PingTimeout.TotalMilliseconds},\"maxPayload\":{Options.MaxPayload}}}";
        _openPacketTail = (Options.AllowUpgrades ? "\",\"upgrades\":[\"websocket\"]," : "\",\"upgrades\":[],") + heartbeat;
        _openPacketTailNoUpgrades = "\",\"upgrades\":[]," + heartbeat;
    }

    public EngineIoOptions Options { get; }

    public IEngineIoHandler Handler { get; }

    public TimerWheel TimerWheel { get; }

    /// <summary>Live sessions.</summary>
    public int SessionCount => Volatile.Read(ref _sessionCount);

    /// <summary>Serves Engine.IO at <paramref name="path"/>: long-polling requests and WebSocket upgrades.</summary>
    public EndpointRouter Map(EndpointRouter router, string path = DefaultPath) =>
        router.MapHttp(path, HandleHttpAsync).MapWebSocket(path, _webSocketApplication);

    public EngineIoSession? FindSession(string sid) => _sessions.GetValueOrDefault(sid);

    /// <summary>Closes every session (server shutdown): waiting polls return at once.</summary>
    public void CloseAll(string reason = "server shutting down")
    {
        foreach (var session in _sessions.Values) session.Close(reason);
    }

    /// <summary>A long-polling request, a CORS preflight, or a handshake.</summary>
    public async ValueTask<HttpResponse> HandleHttpAsync(HttpRequest request)
    {
        var head = request.Head;
        if (head.Method == "OPTIONS") return _cors.Preflight(head);
        var response = await HandleRequestAsync(request).ConfigureAwait(false);
        return _cors.HeadersFor(head) is { } headers ? response with { Headers = headers } : response;
    }

    // The order of checks follows the engine.io server: transport, then sid, then (handshake only) method and version.
    private ValueTask<HttpResponse> HandleRequestAsync(HttpRequest request)
    {
        var head = request.Head;
        string? transport = head.GetQueryValue("transport");
        if (transport != "polling")
            return Answer(transport == "websocket" ? EngineIoError.BadRequest : EngineIoError.UnknownTransport);

        if (head.GetQueryValue("sid") is not { } sid)
        {
            if (head.Method != "GET") return Answer(EngineIoError.BadHandshakeMethod);
            if (head.GetQueryValue("EIO") != "4") return Answer(EngineIoError.UnsupportedProtocolVersion);
            return ValueTask.FromResult(HandshakePolling(head));
        }

        if (FindSession(sid) is not { } session) return Answer(EngineIoError.UnknownSid);
        return head.Method switch
        {
            "GET" => session.PollAsync(),
            "POST" => ValueTask.FromResult(session.Receive(request.Body.Span)),
            _ => Answer(EngineIoError.BadRequest),
        };
    }

    private static ValueTask<HttpResponse> Answer(EngineIoError error) => ValueTask.FromResult(error.ToResponse());

    private HttpResponse HandshakePolling(HttpRequestHead head)
    {
        if (!TryCreateSession(webSocket: null, out var session)) return AtCapacity;
        byte[] open = OpenPacket(session.Id, upgrades: true);
        Open(session, head);
        return new HttpResponse(200, open, "text/plain; charset=UTF-8");
    }

    private static readonly HttpResponse AtCapacity = HttpResponse.Json(503, "{\"code\":3,\"message\":\"Bad request\"}");

    internal bool TryCreateSession(WebSocketSession? webSocket, out EngineIoSession session)
    {
        session = null!;
        if (Interlocked.Increment(ref _sessionCount) > Options.MaxSessions)
        {
            Interlocked.Decrement(ref _sessionCount);
            return false;
        }
        // 120 random bits: a collision is not a practical event, but a duplicate must never replace a live session.
        do session = new EngineIoSession(this, EngineIoSessionId.Create(), webSocket);
        while (!_sessions.TryAdd(session.Id, session));
        return true;
    }

    internal void Open(EngineIoSession session, HttpRequestHead head)
    {
        Handler.OnOpen(session, head);
        session.StartHeartbeat();
    }

    /// <summary>The open packet: <c>0{"sid":…,"upgrades":[…],"pingInterval":…,"pingTimeout":…,"maxPayload":…}</c>.</summary>
    internal byte[] OpenPacket(string sid, bool upgrades) =>
        Encoding.UTF8.GetBytes("0{\"sid\":\"" + sid + (upgrades ? _openPacketTail : _openPacketTailNoUpgrades));

    internal void Forget(EngineIoSession session)
    {
        if (_sessions.TryRemove(KeyValuePair.Create(session.Id, session))) Interlocked.Decrement(ref _sessionCount);
    }

    /// <summary>Refusal of a WebSocket upgrade request, as an HTTP status (null accepts).</summary>
    internal int? ValidateWebSocket(HttpRequestHead head)
    {
        if (head.GetQueryValue("transport") != "websocket") return EngineIoError.UnknownTransport.StatusCode();
        if (head.GetQueryValue("sid") is { } sid)
        {
            if (FindSession(sid) is not { Transport: EngineIoTransport.Polling, IsClosed: false })
                return EngineIoError.UnknownSid.StatusCode();
            return null;
        }
        if (head.GetQueryValue("EIO") != "4") return EngineIoError.UnsupportedProtocolVersion.StatusCode();
        return SessionCount >= Options.MaxSessions ? 503 : null;
    }
}
