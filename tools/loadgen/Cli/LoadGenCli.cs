using System.CommandLine;
using System.Net;
using FastRealtime.LoadGen.Options;

namespace FastRealtime.LoadGen.Cli;

/// <summary>What the command line asks for: the scenario, its options and where the reports go.</summary>
public sealed record CliRequest(string Scenario, LoadOptions Options, string? JsonFile, string? HtmlFile, bool Quiet);

/// <summary>
/// The command line: <c>loadgen &lt;scenario&gt; --url ws://127.0.0.1:3000/echo [options]</c>. Parsing is separate from
/// running (<see cref="Parse"/>) so tests check it without opening a socket.
/// </summary>
public static class LoadGenCli
{
    private static readonly Option<string[]> Url = new("--url") { Description = "Target, e.g. ws://127.0.0.1:3000/echo; broadcast: repeat it (or a,b) to spread members over the nodes of a cluster", Required = true, Recursive = true };
    private static readonly Option<int> Connections = new("--connections", "-c") { Description = "Connections to open", DefaultValueFactory = _ => 1, Recursive = true };
    private static readonly Option<string?> Duration = new("--duration", "-d") { Description = "Run length after warm-up (10s, 500ms, 2m); for ramp: per step", Recursive = true };
    private static readonly Option<long?> Messages = new("--messages", "-n") { Description = "Total messages to send, then stop", Recursive = true };
    private static readonly Option<string> Warmup = new("--warmup") { Description = "Excluded from figures (e.g. 2s)", DefaultValueFactory = _ => "0s", Recursive = true };
    private static readonly Option<int> Size = new("--size") { Description = "Message size in bytes", DefaultValueFactory = _ => 32, Recursive = true };
    private static readonly Option<bool> Binary = new("--binary") { Description = "Binary messages (default text)", Recursive = true };
    private static readonly Option<int> Window = new("--window", "-w") { Description = "Outstanding messages per connection (1 = ping-pong)", DefaultValueFactory = _ => 1, Recursive = true };
    private static readonly Option<double?> Rate = new("--rate") { Description = "Fixed total rate in messages/s (latency from the intended send time)", Recursive = true };
    private static readonly Option<int> Rooms = new("--rooms") { Description = "broadcast: rooms room-0..room-K-1", DefaultValueFactory = _ => 1, Recursive = true };
    private static readonly Option<int?> Publishers = new("--publishers") { Description = "broadcast: publishing connections (default all)", Recursive = true };
    private static readonly Option<string> Protocol = new("--protocol") { Description = "ws (raw frames), json ({event,data}), socketio (Engine.IO v4 WebSocket) or signalr (JSON hub protocol)", DefaultValueFactory = _ => "ws", Recursive = true };
    private static readonly Option<string> EchoEvent = new("--event") { Description = "echo: event (json, socketio) or hub method (signalr) to send; FastRealtime's Socket.IO \"/\" answers 'identity'", DefaultValueFactory = _ => "echo", Recursive = true };
    private static readonly Option<string> Namespace = new("--namespace") { Description = "socketio: namespace to connect to, e.g. /chat", DefaultValueFactory = _ => "/", Recursive = true };
    private static readonly Option<string?> Auth = new("--auth") { Description = "socketio: CONNECT auth JSON object, e.g. {\"token\":\"...\"}", Recursive = true };
    private static readonly Option<string?> Secret = new("--secret") { Description = "chat: the server's JWT secret (serve --jwt-secret); HS256 tokens are minted from it, one user each", Recursive = true };
    private static readonly Option<string> Engine = new("--engine") { Description = "Client engine: auto (epoll where supported), epoll or socket", DefaultValueFactory = _ => "auto", Recursive = true };
    private static readonly Option<string?> JsonFile = new("--json") { Description = "Write the JSON report to FILE", Recursive = true };
    private static readonly Option<string?> HtmlFile = new("--html") { Description = "Write the HTML report to FILE", Recursive = true };
    private static readonly Option<string?> SourceIps = new("--source-ips") { Description = "Local addresses to spread connections over, e.g. 127.0.0.1-127.0.0.16", Recursive = true };
    private static readonly Option<int?> ServerPid = new("--server-pid") { Description = "hold: sample this process's RSS", Recursive = true };
    private static readonly Option<string?> Slo = new("--slo") { Description = "Latency objective, e.g. p99=50ms", Recursive = true };
    private static readonly Option<double> MaxErrorRate = new("--max-error-rate") { Description = "ramp: error fraction that ends the ramp", DefaultValueFactory = _ => 0.01, Recursive = true };
    private static readonly Option<string> RampBy = new("--ramp-by") { Description = "ramp: connections or rate", DefaultValueFactory = _ => "connections", Recursive = true };
    private static readonly Option<int> RampSteps = new("--ramp-steps") { Description = "ramp: maximum steps", DefaultValueFactory = _ => 8, Recursive = true };
    private static readonly Option<double> RampFactor = new("--ramp-factor") { Description = "ramp: multiplier per step", DefaultValueFactory = _ => 2.0, Recursive = true };
    private static readonly Option<string> RampScenario = new("--ramp-scenario") { Description = "ramp: echo, broadcast or chat", DefaultValueFactory = _ => "echo", Recursive = true };
    private static readonly Option<bool> CloseAfterHandshake = new("--close") { Description = "connect: close each connection after its handshake", Recursive = true };
    private static readonly Option<bool> NoCoCorrection = new("--no-co-correction") { Description = "Measure from the actual send time even with --rate", Recursive = true };
    private static readonly Option<string[]> AllowHost = new("--allow-host") { Description = "Allow a non-loopback target host", Recursive = true, AllowMultipleArgumentsPerToken = true };
    private static readonly Option<bool> Quiet = new("--quiet", "-q") { Description = "Plain progress lines, no live display", Recursive = true };

    private static readonly (string Name, string Description)[] ScenarioCommands =
    [
        ("echo", "N connections send messages with a window and measure round trips"),
        ("broadcast", "Publishers send into rooms; measure deliveries and end-to-end latency"),
        ("chat", "The chat contract: users join rooms, send with ack, receive; ack and delivery latency"),
        ("connect", "Connection storm: handshakes per second, failures, handshake latency"),
        ("hold", "Hold N idle connections; memory per connection of server and loadgen"),
        ("ramp", "Raise load step by step until the --slo or error bound breaks; report the knee"),
    ];

    public static RootCommand Build(Func<CliRequest, CancellationToken, Task<int>> run)
    {
        var root = new RootCommand("FastRealtime load generator: capacity planning for WebSocket servers");
        foreach (Option o in AllOptions()) root.Add(o);
        foreach (var (name, description) in ScenarioCommands)
        {
            var command = new Command(name, description);
            command.SetAction(async (parseResult, ct) =>
            {
                var (request, errors) = Bind(name, parseResult);
                if (request is null)
                {
                    foreach (string e in errors) Console.Error.WriteLine($"error: {e}");
                    return 2;
                }
                return await run(request, ct);
            });
            root.Add(command);
        }
        return root;
    }

    /// <summary>Parses and validates a command line without running anything.</summary>
    public static (CliRequest? Request, List<string> Errors) Parse(string[] args)
    {
        RootCommand root = Build((_, _) => Task.FromResult(0));
        ParseResult parseResult = root.Parse(args);
        if (parseResult.Errors.Count > 0) return (null, parseResult.Errors.Select(e => e.Message).ToList());
        string? scenario = parseResult.CommandResult.Command == root ? null : parseResult.CommandResult.Command.Name;
        if (scenario is null) return (null, ["a scenario is required: " + string.Join(", ", LoadOptionsValidator.Scenarios)]);
        return Bind(scenario, parseResult);
    }

    private static IEnumerable<Option> AllOptions() =>
    [
        Url, Connections, Duration, Messages, Warmup, Size, Binary, Window, Rate, Rooms, Publishers, Protocol, EchoEvent, Namespace, Auth, Secret, Engine, JsonFile, HtmlFile,
        SourceIps, ServerPid, Slo, MaxErrorRate, RampBy, RampSteps, RampFactor, RampScenario, CloseAfterHandshake, NoCoCorrection,
        AllowHost, Quiet,
    ];

    private static (CliRequest? Request, List<string> Errors) Bind(string scenario, ParseResult r)
    {
        var errors = new List<string>();
        List<Uri> urls = [];
        foreach (string text in (r.GetValue(Url) ?? []).SelectMany(u => u.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
        {
            if (Uri.TryCreate(text, UriKind.Absolute, out Uri? parsed)) urls.Add(parsed);
            else errors.Add($"--url '{text}' is not an absolute URL");
        }
        if (errors.Count > 0 || urls.Count == 0)
        {
            if (urls.Count == 0 && errors.Count == 0) errors.Add("--url is required");
            return (null, errors);
        }
        Uri url = urls[0];
        TimeSpan? duration = ParseOptionalDuration(r.GetValue(Duration), errors);
        TimeSpan warmup = ParseOptionalDuration(r.GetValue(Warmup), errors) ?? TimeSpan.Zero;
        List<IPAddress> sources = [];
        if (r.GetValue(SourceIps) is { } sourceText && !ValueParsers.TryParseAddressList(sourceText, out sources, out string? sourceError)) errors.Add(sourceError!);
        List<SloTarget> slo = [];
        if (r.GetValue(Slo) is { } sloText && !ValueParsers.TryParseSlo(sloText, out slo, out string? sloError)) errors.Add(sloError!);
        LoadProtocolKind protocol = LoadProtocolKind.Ws;
        if (!Enum.TryParse(r.GetValue(Protocol), ignoreCase: true, out protocol) || !Enum.IsDefined(protocol)) errors.Add("--protocol must be ws, json, socketio or signalr");
        if (!Enum.TryParse(r.GetValue(Engine), ignoreCase: true, out ClientEngine engine) || !Enum.IsDefined(engine)) errors.Add("--engine must be auto, epoll or socket");
        if (!Enum.TryParse(r.GetValue(RampBy), ignoreCase: true, out RampDimension rampBy) || !Enum.IsDefined(rampBy)) errors.Add("--ramp-by must be connections or rate");

        var options = new LoadOptions
        {
            Url = url,
            Urls = urls,
            Connections = r.GetValue(Connections),
            Duration = duration,
            Messages = r.GetValue(Messages),
            Warmup = warmup,
            Size = r.GetValue(Size),
            Binary = r.GetValue(Binary),
            Window = r.GetValue(Window),
            Rate = r.GetValue(Rate),
            Rooms = r.GetValue(Rooms),
            Publishers = r.GetValue(Publishers),
            Protocol = protocol,
            EchoEvent = r.GetValue(EchoEvent) ?? "echo",
            Namespace = r.GetValue(Namespace) ?? "/",
            Auth = r.GetValue(Auth),
            Secret = r.GetValue(Secret),
            Engine = engine,
            SourceAddresses = sources,
            ServerPid = r.GetValue(ServerPid),
            Slo = slo,
            MaxErrorRate = r.GetValue(MaxErrorRate),
            RampBy = rampBy,
            RampSteps = r.GetValue(RampSteps),
            RampFactor = r.GetValue(RampFactor),
            RampScenario = r.GetValue(RampScenario) ?? "echo",
            CloseAfterHandshake = r.GetValue(CloseAfterHandshake),
            CorrectCoordinatedOmission = !r.GetValue(NoCoCorrection),
            AllowedHosts = r.GetValue(AllowHost) ?? [],
        };
        errors.AddRange(LoadOptionsValidator.Validate(scenario, options));
        if (errors.Count > 0) return (null, errors);
        return (new CliRequest(scenario, options, r.GetValue(JsonFile), r.GetValue(HtmlFile), r.GetValue(Quiet)), errors);
    }

    private static TimeSpan? ParseOptionalDuration(string? text, List<string> errors)
    {
        if (text is null) return null;
        if (ValueParsers.TryParseDuration(text, out TimeSpan value, out string? error)) return value;
        errors.Add(error!);
        return null;
    }
}
