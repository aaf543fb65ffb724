using System.Text.Json;
using FastRealtime.LoadGen.Measurement;
using FastRealtime.LoadGen.Options;
using FastRealtime.LoadGen.Reporting;

namespace FastRealtime.Tests.LoadGen;

public class ReportTests
{
    private static LoadResult SampleResult()
    {
        var histogram = new LatencyHistogram();
        for (int i = 1; i <= 1000; i++) histogram.Record(i * 1000L); // 1 µs .. 1 ms
        return new LoadResult
        {
            Scenario = "echo",
            Parameters = new LoadOptions { Url = new Uri("ws://127.0.0.1:3000/echo"), Connections = 2, Duration = TimeSpan.FromSeconds(3), Rate = 100 },
            Connections = 2,
            Sent = 1000,
            Received = 1000,
            ThroughputPerSec = 333.3,
            MeasuredSeconds = 3,
            Latency = LatencySummary.From(histogram),
            Histogram = histogram,
            Errors = new SortedDictionary<string, long> { ["reply-timeout"] = 2 },
            PerSecond = [new PerSecondSample(1, false, 2, 300, 300, 300, 0.5, 0.99, 1, 0)],
        };
    }

    [Fact]
    public void JsonReport_Result_HasTheContractKeys()
    {
        using JsonDocument doc = JsonDocument.Parse(JsonReport.ToJson(SampleResult()));
        JsonElement root = doc.RootElement;

        foreach (string key in new[] { "scenario", "connections", "sent", "received", "throughputPerSec", "latencyMs", "errors", "perSecond", "parameters" })
            Assert.True(root.TryGetProperty(key, out _), $"missing key {key}");
        foreach (string key in new[] { "p50", "p90", "p99", "p999", "max" })
            Assert.True(root.GetProperty("latencyMs").TryGetProperty(key, out _), $"missing latencyMs.{key}");
        Assert.Equal("echo", root.GetProperty("scenario").GetString());
        Assert.Equal(1000, root.GetProperty("received").GetInt64());
        Assert.Equal(2, root.GetProperty("errors").GetProperty("reply-timeout").GetInt64());
        Assert.Equal(JsonValueKind.Array, root.GetProperty("perSecond").ValueKind);
        Assert.Equal(0.99, root.GetProperty("perSecond")[0].GetProperty("p99Ms").GetDouble());
        Assert.Equal(100, root.GetProperty("parameters").GetProperty("rate").GetDouble());
        Assert.InRange(root.GetProperty("latencyMs").GetProperty("p50").GetDouble(), 0.499, 0.501);
    }

    [Fact]
    public void HtmlReport_Result_IsSelfContainedWithThreeCharts()
    {
        string html = HtmlReport.Render(SampleResult());

        Assert.Equal(3, html.Split("<svg").Length - 1);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("http://cdn", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("https://", html, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void HtmlReport_RampResult_TableMarksTheKneeAndTheBrokenStep()
    {
        LoadResult sample = SampleResult();
        RampStep Step(int n, int connections, bool passed) =>
            new(n, connections, null, 1000 * n, sample.Latency, 0, 1000, passed, passed ? null : "p99=20ms (measured 41ms)");
        var ramp = new LoadResult
        {
            Scenario = "ramp", Parameters = sample.Parameters, Latency = sample.Latency, Histogram = sample.Histogram,
            Errors = [], PerSecond = sample.PerSecond, RampSteps = [Step(1, 4, true), Step(2, 8, true), Step(3, 16, false)],
        };

        string html = HtmlReport.Render(ramp);

        Assert.Contains("<h2>Ramp steps</h2>", html);
        Assert.Equal(3, html.Split("<tr", StringSplitOptions.None).Count(row => row.Contains("<td>") && (row.Contains("held") || row.Contains("knee") || row.Contains("broke"))));
        Assert.Matches("<td>2</td><td>8</td>.*<td>knee</td>", html);
        Assert.Contains("broke: p99=20ms (measured 41ms)", html);
    }
}
