using System.Net;
using FastRealtime.Chat.Demo;
using FastRealtime.Chat.Endpoints;
using FastRealtime.Chat.SocketIO;
using FastRealtime.Core.Buffers;
using FastRealtime.Chat.Gateways;
using FastRealtime.Core.Connections;
using FastRealtime.Core.Listening;
using FastRealtime.Core.Metrics;
using FastRealtime.Transport.Http;
using FastRealtime.Transport.Server;
using FastRealtime.Transport.WebSockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace FastRealtime.Chat.Hosting;

/// <summary>
/// The whole server on one port: the socket core, HTTP/WebSocket, and the endpoints. Usable without the generic
/// host (tests and benchmarks start it in-process on port 0).
/// </summary>
public sealed class FastRealtimeServer : IAsyncDisposable
{
    private readonly SocketServer _socketServer;
    private readonly PrometheusTextExporter _exporter;
    private readonly ILogger _logger;
    private IdleMemoryTrimmer? _trimmer;
    private readonly ServiceProvider? _ownedServices;

    /// <param name="services">
    /// Where gateways come from, and the <see cref="ExportedMeter"/>s /metrics exports besides the server's own; null builds a
    /// container with the seed 001 demo gateway on "/".
    /// </param>
    public FastRealtimeServer(ServerSettings settings, ILoggerFactory? loggerFactory = null, Action<EndpointRouter>? mapEndpoints = null,
        IServiceProvider? services = null)
    {
        Settings = settings;
        loggerFactory ??= NullLoggerFactory.Instance;
        _logger = loggerFactory.CreateLogger<FastRealtimeServer>();
        Metrics = new ServerMetrics();
        var metrics = Metrics;
        services ??= _ownedServices = DemoServices.CreateDefaultProvider(loggerFactory);
        var exported = services.GetServices<ExportedMeter>().Select(e => e.Meter).ToArray();
        _exporter = new PrometheusTextExporter(meter => ReferenceEquals(meter, metrics.Meter) || Array.IndexOf(exported, meter) >= 0);
        Router = new EndpointRouter()
            .MapWebSocket("/echo", new EchoApplication())
            .MapWebSocket("/broadcast", Broadcast)
            .MapOperations(_exporter);
        SocketIo = new SocketIoServer();
        SocketIo.Map(Router);
        Gateways = services.GetService<GatewayServer>();
        // /bench is the BenchmarkGateway where the container has it (serve, the default container); else the
        // hand-written namespace keeps the convention available.
        if (Gateways is null || !Gateways.TryGetNamespace(BenchmarkSocketIoNamespace.Name, out _))
            SocketIo.AddNamespace(BenchmarkSocketIoNamespace.Name, new BenchmarkSocketIoNamespace());
        Gateways?.MapWebSockets(Router);
        Gateways?.MapSocketIo(SocketIo);
        mapEndpoints?.Invoke(Router);

        var protocolOptions = CreateProtocolOptions(settings);
        var socketOptions = new SocketServerOptions
        {
            EndPoint = new IPEndPoint(ParseAddress(settings.Host), settings.Port),
            MaxConnections = settings.MaxConnections,
            MaxConnectionsPerIp = settings.MaxConnectionsPerIp,
            ShutdownTimeout = settings.ShutdownTimeout,
            Engine = settings.Engine,
            EventLoops = settings.EventLoops,
            Connection = new ConnectionOptions
            {
                MaxOutboundBytes = settings.MaxOutboundBytes,
                OverflowPolicy = settings.OverflowPolicy,
                MaxReceiveBufferBytes = settings.MaxReceiveBufferBytes,
            },
        };
        var handler = new HttpConnectionHandler(Router, protocolOptions, loggerFactory.CreateLogger<HttpConnectionHandler>());
        _socketServer = new SocketServer(socketOptions, handler, Metrics, logger: loggerFactory.CreateLogger<SocketServer>());
    }

    public ServerSettings Settings { get; }

    public ServerMetrics Metrics { get; }

    public EndpointRouter Router { get; }

    /// <summary>Socket.IO at /socket.io/, serving every gateway namespace (the demo gateway on "/"); add namespaces before <see cref="Start"/>.</summary>
    public SocketIoServer SocketIo { get; }

    /// <summary>The gateways, served on plain WebSocket and on Socket.IO (null when the container has none).</summary>
    public GatewayServer? Gateways { get; }

    /// <summary>The /broadcast benchmark endpoint.</summary>
    public BroadcastApplication Broadcast { get; } = new();

    public IPEndPoint LocalEndPoint => _socketServer.LocalEndPoint;

    public int ConnectionCount => _socketServer.ConnectionCount;

    public string RenderMetrics() => _exporter.Render();

    private static WebSocketServerOptions CreateProtocolOptions(ServerSettings settings) => new()
    {
        Http = new HttpLimits
        {
            MaxRequestHeadBytes = settings.MaxRequestHeadBytes,
            MaxHeaderCount = settings.MaxHeaderCount,
            HeaderTimeout = settings.HeaderTimeout,
            MaxBodyBytes = settings.MaxBodyBytes,
        },
        WebSocket = new WebSocketLimits { MaxMessageSize = settings.MaxMessageSize, MaxFrameSize = Math.Min(settings.MaxFrameSize, settings.MaxMessageSize) },
        Handshake = new WebSocketHandshakeOptions { AllowedOrigins = settings.AllowedOrigins.Length == 0 ? null : settings.AllowedOrigins },
        PingInterval = settings.PingInterval,
        IdleTimeout = settings.IdleTimeout,
        CloseTimeout = settings.CloseTimeout,
        KeepAliveTimeout = settings.KeepAliveTimeout,
    };

    private static IPAddress ParseAddress(string host) => host switch
    {
        "localhost" => IPAddress.Loopback,
        "*" or "0.0.0.0" => IPAddress.Any,
        "::" => IPAddress.IPv6Any,
        _ => IPAddress.Parse(host),
    };

    public void Start()
    {
        _socketServer.Start();
        if (Settings.IdleTrimInterval > TimeSpan.Zero) _trimmer = new IdleMemoryTrimmer(Settings.IdleTrimInterval);
        _logger.LogInformation("FastRealtime listening on http://{EndPoint} ({Engine} engine; WebSocket echo at ws://{EndPoint}/echo)", LocalEndPoint, _socketServer.Engine, LocalEndPoint);
    }

    /// <summary>Graceful stop: refuses new connections, closes WebSockets with 1001, drains, then drops the rest.</summary>
    public async Task StopAsync()
    {
        _logger.LogInformation("Stopping: closing {Count} connections", ConnectionCount);
        SocketIo.Engine.CloseAll(); // waiting long-polls return now instead of at their next ping
        await _socketServer.StopAsync(Settings.ShutdownTimeout).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        _trimmer?.Dispose();
        _exporter.Dispose();
        Metrics.Dispose();
        if (_ownedServices is not null) await _ownedServices.DisposeAsync().ConfigureAwait(false);
    }
}
