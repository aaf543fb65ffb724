using System.Collections.Concurrent;

namespace FastRealtime.LoadGen.Measurement;

/// <summary>Errors by kind ("connect-refused", "handshake", "timeout", ...). Errors are rare, so a dictionary is fine.</summary>
public sealed class ErrorCounters
{
    private readonly ConcurrentDictionary<string, StrongBox> _byKind = new(StringComparer.Ordinal);

    private sealed class StrongBox
    {
        public long Value;
    }

    public void Add(string kind, long count = 1)
    {
        StrongBox box = _byKind.GetOrAdd(kind, static _ => new StrongBox());
        Interlocked.Add(ref box.Value, count);
    }

    public long Total => _byKind.Values.Sum(b => Volatile.Read(ref b.Value));

    public SortedDictionary<string, long> ToDictionary()
    {
        var result = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach (var (kind, box) in _byKind) result[kind] = Volatile.Read(ref box.Value);
        return result;
    }
}
