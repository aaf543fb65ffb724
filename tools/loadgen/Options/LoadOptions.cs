using System.Net;

namespace FastRealtime.LoadGen.Options;

/// <summary>Which wire convention the load generator speaks on top of WebSocket frames.</summary>
public enum LoadProtocolKind
{
    /// <summary>Raw WebSocket messages; the payload is the loadgen's own bytes.</summary>
    Ws,
    /// <summary>NestJS-style text messages <c>{"event":"...","data":"..."}</c>.</summary>
    Json,
    /// <summary>Socket.IO v5 over Engine.IO v4, WebSocket transport only (no polling).</summary>
    SocketIo,
    /// <summary>ASP.NET Core SignalR, JSON hub protocol v1 over WebSockets (negotiation skipped).</summary>
    SignalR,
}

/// <summary>Which engine runs the client connections.</summary>
public enum ClientEngine
{
    /// <summary>Epoll where supported (Linux x64), else Socket.</summary>
    Auto,
    /// <summary>The project's epoll event loops: batched reads, synchronous callbacks, one flush per batch.</summary>
    Epoll,
    /// <summary>.NET sockets with async receive loops on the thread pool (portable).</summary>
    Socket,
}

/// <summary>What <c>ramp</c> raises from one step to the next.</summary>
public enum RampDimension
{
    Connections,
    Rate,
}

/// <summary>
/// Every parameter of a run. One type for all scenarios so the CLI, the JSON report's "parameters" and the
/// in-process API share one vocabulary; each scenario reads the members that apply to it.
/// </summary>
public sealed record LoadOptions
{
    public required Uri Url { get; init; }

    /// <summary>
    /// Every target, <see cref="Url"/> first: several nodes of one cluster (broadcast spreads each room's members over
    /// them evenly, so deliveries cross nodes). Unset = just <see cref="Url"/>.
    /// </summary>
    public IReadOnlyList<Uri> Urls
    {
        get => _urls is { Count: > 0 } urls ? urls : [Url];
        init => _urls = value;
    }

    private readonly IReadOnlyList<Uri>? _urls;
    public int Connections { get; init; } = 1;
    /// <summary>Run length after warm-up. Either this or <see cref="Messages"/> bounds the run.</summary>
    public TimeSpan? Duration { get; init; }
    /// <summary>Total messages to send (over all connections or publishers), then stop.</summary>
    public long? Messages { get; init; }
    public TimeSpan Warmup { get; init; } = TimeSpan.Zero;
    public int Size { get; init; } = 32;
    public bool Binary { get; init; }
    /// <summary>Outstanding messages per connection (1 = ping-pong). For broadcast: per publisher.</summary>
    public int Window { get; init; } = 1;
    /// <summary>Total messages per second over the whole run; null = as fast as the window allows.</summary>
    public double? Rate { get; init; }
    public int Rooms { get; init; } = 1;
    /// <summary>Broadcast publishers; null = every connection publishes.</summary>
    public int? Publishers { get; init; }
    public LoadProtocolKind Protocol { get; init; } = LoadProtocolKind.Ws;
    /// <summary>
    /// The event (json, socketio) or hub method (signalr) the echo scenario sends. The Node socket.io peer and the
    /// SignalR peer answer <c>echo</c>; FastRealtime's Socket.IO "/" namespace (the demo gateway) answers <c>identity</c>.
    /// </summary>
    public string EchoEvent { get; init; } = "echo";
    /// <summary>socketio: the namespace to connect to ("/" = the main namespace).</summary>
    public string Namespace { get; init; } = "/";
    /// <summary>socketio: the CONNECT packet's auth payload, a JSON object (e.g. <c>{"token":"..."}</c>); null = none.</summary>
    public string? Auth { get; init; }
    /// <summary>chat: the server's JWT secret; each user's HS256 token (sub, name) is minted from it. Never reported.</summary>
    public string? Secret { get; init; }
    /// <summary>chat: how long the minted tokens stay valid.</summary>
    public TimeSpan TokenLifetime { get; init; } = TimeSpan.FromHours(1);
    public ClientEngine Engine { get; init; } = ClientEngine.Auto;
    public IReadOnlyList<IPAddress> SourceAddresses { get; init; } = [];
    public int? ServerPid { get; init; }
    public IReadOnlyList<SloTarget> Slo { get; init; } = [];
    /// <summary>Ramp stops when errors / sent exceeds this fraction.</summary>
    public double MaxErrorRate { get; init; } = 0.01;
    public RampDimension RampBy { get; init; } = RampDimension.Connections;
    public int RampSteps { get; init; } = 8;
    public double RampFactor { get; init; } = 2.0;
    /// <summary>Scenario that <c>ramp</c> drives at each step: "echo", "broadcast" or "chat".</summary>
    public string RampScenario { get; init; } = "echo";
    /// <summary>connect: close each connection right after its handshake.</summary>
    public bool CloseAfterHandshake { get; init; }
    /// <summary>
    /// Measure latency from the intended send time of a fixed-rate schedule (wrk2-style coordinated-omission
    /// correction). Turning it off exists to demonstrate the difference; it has no effect without a rate.
    /// </summary>
    public bool CorrectCoordinatedOmission { get; init; } = true;
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);
    /// <summary>After sending stops, how long to wait for outstanding replies before counting them as lost.</summary>
    public TimeSpan DrainTimeout { get; init; } = TimeSpan.FromSeconds(5);
    /// <summary>Connections opened concurrently while connecting.</summary>
    public int ConnectConcurrency { get; init; } = 256;
    /// <summary>Largest message the client accepts from the server.</summary>
    public int MaxMessageSize { get; init; } = 16 * 1024 * 1024;
    public IReadOnlyList<string> AllowedHosts { get; init; } = [];
}

/// <summary>A latency objective such as p99 ≤ 50 ms.</summary>
public readonly record struct SloTarget(double Percentile, TimeSpan Threshold)
{
    public override string ToString() => $"p{PercentileLabel(Percentile)}={Threshold.TotalMilliseconds}ms";

    public static string PercentileLabel(double percentile) =>
        percentile.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture).Replace(".", "", StringComparison.Ordinal);
}
