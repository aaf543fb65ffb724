using System.Globalization;
using FastRealtime.LoadGen.Measurement;
using Spectre.Console;

namespace FastRealtime.LoadGen.Reporting;

/// <summary>
/// Live progress once a second and the final table. Uses Spectre.Console on a terminal; plain lines when stdout is
/// redirected or with --quiet, so logs and CI output stay readable.
/// </summary>
public sealed class ConsoleReporter
{
    private readonly bool _plain;

    public ConsoleReporter(bool quiet) => _plain = quiet || Console.IsOutputRedirected || !AnsiConsole.Profile.Capabilities.Interactive;

    public void OnSample(PerSecondSample s)
    {
        string line = string.Create(CultureInfo.InvariantCulture,
            $"{s.Second,4}s{(s.Warmup ? " warm-up" : "")}  conns {s.Connections,7}  recv/s {s.ThroughputPerSec,12:N0}  p50 {s.P50Ms,8:0.000} ms  p99 {s.P99Ms,8:0.000} ms  max {s.MaxMs,8:0.000} ms  errors {s.Errors}");
        if (_plain) Console.WriteLine(line);
        else AnsiConsole.MarkupLine($"[grey]{Markup.Escape(line)}[/]");
    }

    public void PrintResult(LoadResult r)
    {
        var rows = new List<(string, string)>
        {
            ("scenario", r.Scenario),
            ("connections", r.Connections.ToString("N0", CultureInfo.InvariantCulture)),
            ("sent", r.Sent.ToString("N0", CultureInfo.InvariantCulture)),
            ("received", r.Received.ToString("N0", CultureInfo.InvariantCulture)),
            ("throughput/s", r.ThroughputPerSec.ToString("N0", CultureInfo.InvariantCulture)),
            ("latency p50 / p90", Ms(r.Latency.P50) + " / " + Ms(r.Latency.P90)),
            ("latency p99 / p99.9", Ms(r.Latency.P99) + " / " + Ms(r.Latency.P999)),
            ("latency max", Ms(r.Latency.Max)),
            ("errors", r.Errors.Count == 0 ? "none" : string.Join(", ", r.Errors.Select(e => $"{e.Key}={e.Value}"))),
        };
        foreach (var (key, value) in r.Extra) rows.Add((key, value.ToString("N2", CultureInfo.InvariantCulture)));
        foreach (RampStep step in r.RampSteps)
            rows.Add(($"ramp step {step.Step}", string.Create(CultureInfo.InvariantCulture,
                $"conns {step.Connections} rate {step.Rate?.ToString("N0", CultureInfo.InvariantCulture) ?? "max"} → {step.ThroughputPerSec:N0}/s p99 {step.Latency.P99:0.###} ms {(step.Passed ? "ok" : "BROKEN: " + step.BrokenBy)}")));

        if (_plain)
        {
            foreach (var (key, value) in rows) Console.WriteLine($"{key,-22} {value}");
            return;
        }
        var table = new Table().RoundedBorder().AddColumn("figure").AddColumn("value");
        foreach (var (key, value) in rows) table.AddRow(Markup.Escape(key), Markup.Escape(value));
        AnsiConsole.Write(table);
    }

    private static string Ms(double ms) => ms.ToString("0.###", CultureInfo.InvariantCulture) + " ms";
}
