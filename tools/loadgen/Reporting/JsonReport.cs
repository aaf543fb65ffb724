using System.Text.Json;
using FastRealtime.LoadGen.Options;

namespace FastRealtime.LoadGen.Reporting;

/// <summary>
/// The machine-readable report. Key names are a contract (scripts and CI compare runs with them):
/// scenario, connections, sent, received, throughputPerSec, latencyMs{p50,p90,p99,p999,max,mean}, errors{kind: n},
/// perSecond[], parameters{}, plus extra{} and rampSteps[] when the scenario has them.
/// </summary>
public static class JsonReport
{
    public static void Write(LoadResult result, Stream output)
    {
        using var w = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = true });
        w.WriteStartObject();
        w.WriteString("scenario", result.Scenario);
        w.WriteNumber("connections", result.Connections);
        w.WriteNumber("sent", result.Sent);
        w.WriteNumber("received", result.Received);
        w.WriteNumber("throughputPerSec", Round(result.ThroughputPerSec));
        w.WriteNumber("measuredSeconds", Round(result.MeasuredSeconds));
        w.WritePropertyName("latencyMs");
        WriteLatency(w, result.Latency);
        w.WriteStartObject("errors");
        foreach (var (kind, count) in result.Errors) w.WriteNumber(kind, count);
        w.WriteEndObject();
        w.WriteStartArray("perSecond");
        foreach (var s in result.PerSecond)
        {
            w.WriteStartObject();
            w.WriteNumber("second", s.Second);
            w.WriteBoolean("warmup", s.Warmup);
            w.WriteNumber("connections", s.Connections);
            w.WriteNumber("sent", s.Sent);
            w.WriteNumber("received", s.Received);
            w.WriteNumber("throughputPerSec", Round(s.ThroughputPerSec));
            w.WriteNumber("p50Ms", Round(s.P50Ms));
            w.WriteNumber("p99Ms", Round(s.P99Ms));
            w.WriteNumber("maxMs", Round(s.MaxMs));
            w.WriteNumber("errors", s.Errors);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteStartObject("extra");
        foreach (var (key, value) in result.Extra) w.WriteNumber(key, Round(value));
        w.WriteEndObject();
        if (result.RampSteps.Count > 0)
        {
            w.WriteStartArray("rampSteps");
            foreach (RampStep step in result.RampSteps)
            {
                w.WriteStartObject();
                w.WriteNumber("step", step.Step);
                w.WriteNumber("connections", step.Connections);
                if (step.Rate is { } rate) w.WriteNumber("rate", Round(rate));
                w.WriteNumber("throughputPerSec", Round(step.ThroughputPerSec));
                w.WritePropertyName("latencyMs");
                WriteLatency(w, step.Latency);
                w.WriteNumber("errors", step.Errors);
                w.WriteBoolean("passed", step.Passed);
                if (step.BrokenBy is not null) w.WriteString("brokenBy", step.BrokenBy);
                w.WriteEndObject();
            }
            w.WriteEndArray();
        }
        w.WritePropertyName("parameters");
        WriteParameters(w, result.Parameters);
        w.WriteEndObject();
    }

    public static string ToJson(LoadResult result)
    {
        using var stream = new MemoryStream();
        Write(result, stream);
        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }

    private static void WriteLatency(Utf8JsonWriter w, LatencySummary l)
    {
        w.WriteStartObject();
        w.WriteNumber("p50", Round(l.P50));
        w.WriteNumber("p90", Round(l.P90));
        w.WriteNumber("p99", Round(l.P99));
        w.WriteNumber("p999", Round(l.P999));
        w.WriteNumber("max", Round(l.Max));
        w.WriteNumber("mean", Round(l.Mean));
        w.WriteNumber("count", l.Count);
        w.WriteEndObject();
    }

    private static void WriteParameters(Utf8JsonWriter w, LoadOptions o)
    {
        w.WriteStartObject();
        w.WriteString("url", o.Url.ToString());
        if (o.Urls.Count > 1)
        {
            w.WriteStartArray("urls");
            foreach (Uri url in o.Urls) w.WriteStringValue(url.ToString());
            w.WriteEndArray();
        }
        w.WriteNumber("connections", o.Connections);
        if (o.Duration is { } d) w.WriteNumber("durationSeconds", d.TotalSeconds);
        if (o.Messages is { } m) w.WriteNumber("messages", m);
        w.WriteNumber("warmupSeconds", o.Warmup.TotalSeconds);
        w.WriteNumber("size", o.Size);
        w.WriteBoolean("binary", o.Binary);
        w.WriteNumber("window", o.Window);
        if (o.Rate is { } r) w.WriteNumber("rate", r);
        w.WriteNumber("rooms", o.Rooms);
        if (o.Publishers is { } p) w.WriteNumber("publishers", p);
        w.WriteString("protocol", o.Protocol.ToString().ToLowerInvariant());
        w.WriteString("engine", Net.ClientConnectors.Resolve(o.Engine).ToString().ToLowerInvariant());
        w.WriteBoolean("coordinatedOmissionCorrected", o.Rate is not null && o.CorrectCoordinatedOmission);
        w.WriteNumber("sourceAddresses", o.SourceAddresses.Count);
        if (o.ServerPid is { } pid) w.WriteNumber("serverPid", pid);
        if (o.Slo.Count > 0) w.WriteString("slo", string.Join(",", o.Slo));
        w.WriteNumber("processorCount", Environment.ProcessorCount);
        w.WriteEndObject();
    }

    private static double Round(double value) => double.IsFinite(value) ? Math.Round(value, 4) : 0;
}
