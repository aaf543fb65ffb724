using FastRealtime.LoadGen.Reporting;
using FastRealtime.LoadGen.Scenarios;

namespace FastRealtime.LoadGen.Cli;

/// <summary>Runs a parsed request: the scenario, live progress, the final table and the report files.</summary>
public static class CliRunner
{
    public static async Task<int> RunAsync(CliRequest request, CancellationToken ct)
    {
        var reporter = new ConsoleReporter(request.Quiet);
        LoadResult result = await ScenarioCatalog.RunAsync(request.Scenario, request.Options, ct, reporter.OnSample).ConfigureAwait(false);
        reporter.PrintResult(result);
        if (request.JsonFile is { } json)
        {
            await using FileStream file = File.Create(json);
            JsonReport.Write(result, file);
        }
        if (request.HtmlFile is { } html) await File.WriteAllTextAsync(html, HtmlReport.Render(result), ct).ConfigureAwait(false);
        return result.TotalErrors == 0 ? 0 : 1;
    }
}
