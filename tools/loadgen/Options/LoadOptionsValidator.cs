namespace FastRealtime.LoadGen.Options;

/// <summary>Checks a <see cref="LoadOptions"/> for one scenario; every problem is reported, none thrown.</summary>
public static class LoadOptionsValidator
{
    public static readonly IReadOnlyList<string> Scenarios = ["echo", "broadcast", "chat", "connect", "hold", "ramp"];

    public static List<string> Validate(string scenario, LoadOptions o)
    {
        var errors = new List<string>();
        if (!Scenarios.Contains(scenario)) errors.Add($"unknown scenario '{scenario}'");
        foreach (Uri url in o.Urls)
            if (!TargetPolicy.IsAllowed(url, o.AllowedHosts.ToArray(), out string? targetError)) errors.Add(targetError!);
        if (o.Urls.Count > 1 && scenario != "broadcast") errors.Add("several --url (nodes of a cluster) are for broadcast only");

        // Every run is bounded: it must know when to stop by itself.
        bool countBounded = scenario is "echo" or "broadcast" or "chat" or "connect";
        if (o.Duration is null && o.Messages is null) errors.Add("a bound is required: --duration (e.g. 10s) or --messages N");
        else if (o.Duration is not null && o.Messages is not null) errors.Add("give either --duration or --messages, not both");
        else if (o.Messages is not null && !countBounded) errors.Add($"'{scenario}' is bounded by --duration only");
        if (o.Duration is { } d && d <= TimeSpan.Zero) errors.Add("--duration must be positive");
        if (o.Messages is <= 0) errors.Add("--messages must be positive");
        if (o.Warmup < TimeSpan.Zero) errors.Add("--warmup must not be negative");

        if (o.Connections < 1) errors.Add("--connections must be at least 1");
        if (o.Window < 1) errors.Add("--window must be at least 1");
        if (o.Rate is { } rate && (rate <= 0 || double.IsNaN(rate) || double.IsInfinity(rate))) errors.Add("--rate must be a positive number");
        if (o.Rooms < 1) errors.Add("--rooms must be at least 1");
        if (o.Publishers is { } p && (p < 1 || p > o.Connections)) errors.Add("--publishers must be between 1 and --connections");
        if (scenario is "broadcast" or "chat" && o.Rooms > o.Connections) errors.Add("--rooms must not exceed --connections");
        bool chat = scenario == "chat" || (scenario == "ramp" && o.RampScenario == "chat");
        if (chat && o.Protocol is not (LoadProtocolKind.Json or LoadProtocolKind.SocketIo)) errors.Add("chat speaks --protocol json (plain WebSocket, /chat) or socketio");
        if (chat && string.IsNullOrEmpty(o.Secret)) errors.Add("chat needs --secret (the server's JWT secret) to mint the users' tokens");
        if (chat && o.Size > Chat.ChatWire.MaxText) errors.Add($"chat: --size is the text length, at most {Chat.ChatWire.MaxText}");
        if (o.Size < 0 || o.Size > o.MaxMessageSize) errors.Add($"--size must be between 0 and {o.MaxMessageSize}");
        if (o.Connections > 1 && o.ConnectConcurrency < 1) errors.Add("connect concurrency must be at least 1");
        if (scenario == "ramp")
        {
            if (o.Slo.Count == 0) errors.Add("ramp needs a latency objective, e.g. --slo p99=50ms");
            if (o.RampSteps < 1) errors.Add("--ramp-steps must be at least 1");
            if (o.RampFactor <= 1) errors.Add("--ramp-factor must be greater than 1");
            if (o.RampBy == RampDimension.Rate && o.Rate is null) errors.Add("--ramp-by rate needs a starting --rate");
            if (o.RampScenario is not ("echo" or "broadcast" or "chat")) errors.Add("--ramp-scenario must be echo, broadcast or chat");
        }
        if (o.Engine == ClientEngine.Epoll && !Net.EpollWsConnector.IsSupported) errors.Add("--engine epoll needs Linux on x64; use auto or socket");
        if (o.Binary && o.Protocol is LoadProtocolKind.SocketIo or LoadProtocolKind.SignalR) errors.Add("--binary is not supported with socketio or signalr: their payloads are JSON strings");
        if (string.IsNullOrEmpty(o.EchoEvent) || o.EchoEvent.Any(c => c is '"' or '\\' || char.IsControl(c))) errors.Add("--event must be a non-empty name without quotes, backslashes or control characters");
        if (!o.Namespace.StartsWith('/') || o.Namespace.Any(c => c is ',' or '"' or '\\' || char.IsWhiteSpace(c) || char.IsControl(c))) errors.Add("--namespace must start with '/' and contain no commas, quotes or spaces");
        if (o.Auth is { } auth && !IsJsonObject(auth)) errors.Add("--auth must be a JSON object, e.g. {\"token\":\"...\"}");
        if (o.MaxErrorRate is < 0 or > 1) errors.Add("--max-error-rate must be between 0 and 1");
        return errors;
    }

    private static bool IsJsonObject(string text)
    {
        try
        {
            using var document = System.Text.Json.JsonDocument.Parse(text);
            return document.RootElement.ValueKind == System.Text.Json.JsonValueKind.Object;
        }
        catch (System.Text.Json.JsonException)
        {
            return false;
        }
    }
}
