using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text;

namespace FastRealtime.Core.Metrics;

/// <summary>
/// Collects the instruments of the named meters and renders them in the Prometheus text exposition format.
/// </summary>
/// <remarks>
/// Hand-written because the OpenTelemetry Prometheus exporter is not served by the registry copy here and
/// would pull in ASP.NET Core; the format is small (counters, gauges, histograms with fixed buckets).
/// Thread safety: measurements arrive from any thread; <see cref="Render"/> may run concurrently with them.
/// </remarks>
public sealed class PrometheusTextExporter : IDisposable
{
    private static readonly double[] s_bucketBounds = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<SeriesKey, Series> _series = new();
    private readonly object _renderLock = new();

    /// <param name="includeMeter">Which meters to export (several servers may run in one process, each with its own meter).</param>
    public PrometheusTextExporter(Func<Meter, bool> includeMeter)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (includeMeter(instrument.Meter)) listener.EnableMeasurementEvents(instrument);
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.SetMeasurementEventCallback<int>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.Start();
    }

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var key = new SeriesKey(instrument, FormatLabels(tags));
        var series = _series.GetOrAdd(key, static k => new Series(k.Instrument));
        series.Record(value);
    }

    private static string FormatLabels(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (tags.Length == 0) return "";
        var builder = new StringBuilder();
        foreach (var tag in tags)
        {
            if (builder.Length > 0) builder.Append(',');
            builder.Append(Sanitize(tag.Key)).Append("=\"")
                .Append(Convert.ToString(tag.Value, CultureInfo.InvariantCulture)?.Replace("\\", "\\\\").Replace("\"", "\\\"").Replace("\n", "\\n"))
                .Append('"');
        }
        return builder.ToString();
    }

    private static string Sanitize(string name)
    {
        var chars = name.ToCharArray();
        for (int i = 0; i < chars.Length; i++)
        {
            if (!char.IsAsciiLetterOrDigit(chars[i]) && chars[i] != '_') chars[i] = '_';
        }
        return new string(chars);
    }

    /// <summary>Polls the observable instruments and renders every series.</summary>
    public string Render()
    {
        lock (_renderLock)
        {
            // Observable instruments report absolute values: forget the previous poll's before asking again.
            foreach (var series in _series.Values)
            {
                if (series.IsObservable) series.Reset();
            }
            _listener.RecordObservableInstruments();

            var text = new StringBuilder(4096);
            foreach (var group in _series.GroupBy(s => s.Key.Instrument).OrderBy(g => g.Key.Name, StringComparer.Ordinal))
            {
                var instrument = group.Key;
                string name = Sanitize(instrument.Name);
                string type = instrument switch
                {
                    Histogram<double> or Histogram<long> or Histogram<int> => "histogram",
                    Counter<long> or Counter<int> or Counter<double> or ObservableCounter<long> or ObservableCounter<int> or ObservableCounter<double> => "counter",
                    _ => "gauge",
                };
                if (type == "counter" && !name.EndsWith("_total", StringComparison.Ordinal)) name += "_total";
                if (instrument.Description is { Length: > 0 } help) text.Append("# HELP ").Append(name).Append(' ').Append(help).Append('\n');
                text.Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n');
                foreach (var (key, series) in group)
                {
                    if (type == "histogram") series.AppendHistogram(text, name, key.Labels, s_bucketBounds);
                    else AppendSample(text, name, key.Labels, series.Sum);
                }
            }
            return text.ToString();
        }
    }

    private static void AppendSample(StringBuilder text, string name, string labels, double value)
    {
        text.Append(name);
        if (labels.Length > 0) text.Append('{').Append(labels).Append('}');
        text.Append(' ').Append(value.ToString("R", CultureInfo.InvariantCulture)).Append('\n');
    }

    public void Dispose() => _listener.Dispose();

    private readonly record struct SeriesKey(Instrument Instrument, string Labels);

    private sealed class Series(Instrument instrument)
    {
        private readonly long[] _buckets = new long[s_bucketBounds.Length + 1];
        private double _sum;
        private long _count;

        public bool IsObservable => instrument.IsObservable;

        public double Sum => Volatile.Read(ref _sum);

        public void Record(double value)
        {
            lock (this)
            {
                _sum += value;
                _count++;
                if (instrument is Histogram<double> or Histogram<long> or Histogram<int>)
                {
                    int bucket = Array.BinarySearch(s_bucketBounds, value);
                    _buckets[bucket < 0 ? ~bucket : bucket]++;
                }
            }
        }

        public void Reset()
        {
            lock (this)
            {
                _sum = 0;
                _count = 0;
            }
        }

        public void AppendHistogram(StringBuilder text, string name, string labels, double[] bounds)
        {
            lock (this)
            {
                string prefix = labels.Length > 0 ? labels + "," : "";
                long cumulative = 0;
                for (int i = 0; i < bounds.Length; i++)
                {
                    cumulative += _buckets[i];
                    text.Append(name).Append("_bucket{").Append(prefix).Append("le=\"").Append(bounds[i].ToString(CultureInfo.InvariantCulture)).Append("\"} ").Append(cumulative).Append('\n');
                }
                cumulative += _buckets[^1];
                text.Append(name).Append("_bucket{").Append(prefix).Append("le=\"+Inf\"} ").Append(cumulative).Append('\n');
                AppendSample(text, name + "_sum", labels, _sum);
                AppendSample(text, name + "_count", labels, _count);
            }
        }
    }
}
