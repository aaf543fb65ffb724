using System.Globalization;
using System.Net;
using System.Text;

namespace FastRealtime.LoadGen.Reporting;

/// <summary>
/// A self-contained HTML report: summary table, throughput and p99 over time, and the latency distribution,
/// drawn as inline SVG (no script, no CDN), so the file can be mailed or archived as is.
/// </summary>
public static class HtmlReport
{
    public static string Render(LoadResult r)
    {
        var html = new StringBuilder();
        html.Append("<!doctype html><html><head><meta charset=\"utf-8\"><title>loadgen ").Append(Esc(r.Scenario)).Append("</title><style>")
            .Append("body{font-family:system-ui,sans-serif;margin:2em;color:#222}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px 10px;text-align:left}")
            .Append("h2{margin-top:1.5em}svg{background:#fafafa;border:1px solid #ddd}.axis{font-size:11px;fill:#555}</style></head><body>")
            .Append("<h1>loadgen: ").Append(Esc(r.Scenario)).Append(" → ").Append(Esc(r.Parameters.Url.ToString())).Append("</h1><table>");
        Row(html, "connections", r.Connections.ToString(CultureInfo.InvariantCulture));
        Row(html, "sent / received", $"{r.Sent:N0} / {r.Received:N0}");
        Row(html, "throughput", $"{r.ThroughputPerSec:N0} msg/s over {r.MeasuredSeconds:0.##} s");
        Row(html, "latency p50 / p90 / p99 / p99.9 / max (ms)", $"{r.Latency.P50:0.###} / {r.Latency.P90:0.###} / {r.Latency.P99:0.###} / {r.Latency.P999:0.###} / {r.Latency.Max:0.###}");
        Row(html, "errors", r.Errors.Count == 0 ? "none" : string.Join(", ", r.Errors.Select(e => $"{e.Key}: {e.Value}")));
        foreach (var (key, value) in r.Extra) Row(html, key, value.ToString("N2", CultureInfo.InvariantCulture));
        html.Append("</table>");
        if (r.RampSteps.Count > 0) RampTable(html, r.RampSteps);

        var seconds = r.PerSecond.Select(s => (double)s.Second).ToArray();
        html.Append("<h2>Throughput (received msg/s)</h2>");
        LineChart(html, seconds, r.PerSecond.Select(s => s.ThroughputPerSec).ToArray(), "#2a6fdb", "s", "msg/s");
        html.Append("<h2>p99 latency per second (ms)</h2>");
        LineChart(html, seconds, r.PerSecond.Select(s => s.P99Ms).ToArray(), "#d9534f", "s", "ms");
        html.Append("<h2>Latency distribution</h2>");
        var buckets = r.Histogram.NonEmptyBuckets().ToArray();
        long total = buckets.Sum(b => b.Count);
        long running = 0;
        var percentileCurve = buckets.Select(b => { running += b.Count; return (Ms: b.To / 1e6, Pct: 100.0 * running / Math.Max(1, total)); }).ToArray();
        LineChart(html, percentileCurve.Select(p => p.Pct).ToArray(), percentileCurve.Select(p => p.Ms).ToArray(), "#5cb85c", "percentile", "ms");
        html.Append("</body></html>");
        return html.ToString();
    }

    /// <summary>One row per ramp step; the knee (the last step that held) is marked, as is the step that broke.</summary>
    private static void RampTable(StringBuilder html, IReadOnlyList<RampStep> steps)
    {
        int knee = steps.LastOrDefault(s => s.Passed)?.Step ?? 0;
        html.Append("<h2>Ramp steps</h2><table><tr><th>step</th><th>connections</th><th>rate</th><th>msg/s</th>")
            .Append("<th>p50 ms</th><th>p99 ms</th><th>p99.9 ms</th><th>errors</th><th>verdict</th></tr>");
        foreach (RampStep step in steps)
        {
            string verdict = step.Step == knee ? "knee" : step.Passed ? "held" : "broke: " + step.BrokenBy;
            html.Append(CultureInfo.InvariantCulture,
                $"<tr{(step.Step == knee ? " style=\"background:#e6f4e6;font-weight:bold\"" : step.Passed ? "" : " style=\"background:#fbe9e9\"")}><td>{step.Step}</td><td>{step.Connections:N0}</td>")
                .Append(CultureInfo.InvariantCulture, $"<td>{(step.Rate is { } rate ? rate.ToString("N0", CultureInfo.InvariantCulture) : "max")}</td><td>{step.ThroughputPerSec:N0}</td>")
                .Append(CultureInfo.InvariantCulture, $"<td>{step.Latency.P50:0.###}</td><td>{step.Latency.P99:0.###}</td><td>{step.Latency.P999:0.###}</td><td>{step.Errors:N0}</td><td>")
                .Append(Esc(verdict)).Append("</td></tr>");
        }
        html.Append("</table>");
    }

    private static void Row(StringBuilder html, string key, string value) =>
        html.Append("<tr><th>").Append(Esc(key)).Append("</th><td>").Append(Esc(value)).Append("</td></tr>");

    private static void LineChart(StringBuilder html, double[] xs, double[] ys, string color, string xLabel, string yLabel)
    {
        const int W = 720, H = 240, Pad = 48;
        html.Append(CultureInfo.InvariantCulture, $"<svg width=\"{W}\" height=\"{H}\" viewBox=\"0 0 {W} {H}\" xmlns=\"http://www.w3.org/2000/svg\">");
        if (xs.Length == 0)
        {
            html.Append("<text x=\"20\" y=\"40\" class=\"axis\">no data</text></svg>");
            return;
        }
        double minX = xs.Min(), maxX = Math.Max(xs.Max(), minX + 1e-9), maxY = Math.Max(ys.Max(), 1e-9);
        string Px(double x) => (Pad + (x - minX) / (maxX - minX) * (W - 2 * Pad)).ToString("0.#", CultureInfo.InvariantCulture);
        string Py(double y) => (H - Pad - y / maxY * (H - 2 * Pad)).ToString("0.#", CultureInfo.InvariantCulture);
        html.Append(CultureInfo.InvariantCulture, $"<line x1=\"{Pad}\" y1=\"{H - Pad}\" x2=\"{W - Pad}\" y2=\"{H - Pad}\" stroke=\"#999\"/>");
        html.Append(CultureInfo.InvariantCulture, $"<line x1=\"{Pad}\" y1=\"{Pad}\" x2=\"{Pad}\" y2=\"{H - Pad}\" stroke=\"#999\"/>");
        html.Append("<polyline fill=\"none\" stroke=\"").Append(color).Append("\" stroke-width=\"2\" points=\"");
        for (int i = 0; i < xs.Length; i++) html.Append(Px(xs[i])).Append(',').Append(Py(ys[i])).Append(' ');
        html.Append("\"/>");
        html.Append(CultureInfo.InvariantCulture, $"<text x=\"{Pad}\" y=\"{Pad - 8}\" class=\"axis\">{Esc(yLabel)} max {maxY:0.###}</text>");
        html.Append(CultureInfo.InvariantCulture, $"<text x=\"{Pad}\" y=\"{H - Pad + 16}\" class=\"axis\">{minX:0.###}</text>");
        html.Append(CultureInfo.InvariantCulture, $"<text x=\"{W - Pad}\" y=\"{H - Pad + 16}\" class=\"axis\" text-anchor=\"end\">{maxX:0.###} {Esc(xLabel)}</text>");
        html.Append("</svg>");
    }

    private static string Esc(string s) => WebUtility.HtmlEncode(s);
}
