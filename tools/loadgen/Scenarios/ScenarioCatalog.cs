using FastRealtime.LoadGen.Measurement;
using FastRealtime.LoadGen.Options;
using FastRealtime.LoadGen.Reporting;

namespace FastRealtime.LoadGen.Scenarios;

/// <summary>Scenario name → implementation; the one place the CLI and ramp look scenarios up.</summary>
public static class ScenarioCatalog
{
    public static Task<LoadResult> RunAsync(string scenario, LoadOptions options, CancellationToken ct, Action<PerSecondSample>? progress = null) => scenario switch
    {
        "echo" => EchoScenario.RunAsync(options, ct, progress),
        "broadcast" => BroadcastScenario.RunAsync(options, ct, progress),
        "chat" => ChatScenario.RunAsync(options, ct, progress),
        "connect" => ConnectScenario.RunAsync(options, ct, progress),
        "hold" => HoldScenario.RunAsync(options, ct, progress),
        "ramp" => RampScenario.RunAsync(options, ct, progress),
        _ => throw new ArgumentException($"unknown scenario '{scenario}'", nameof(scenario)),
    };
}
