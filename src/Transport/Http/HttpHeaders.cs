using System.Collections;

namespace FastRealtime.Transport.Http;

/// <summary>
/// Header fields of one message head in the order received. Names compare case-insensitively (RFC 9110 §5.1);
/// repeated fields are kept as separate entries so list-valued fields can be combined by the reader.
/// </summary>
/// <remarks>Not thread-safe while being filled by the parser; read-only afterwards.</remarks>
public sealed class HttpHeaders : IEnumerable<KeyValuePair<string, string>>
{
    private KeyValuePair<string, string>[] _fields;
    private int _count;

    public HttpHeaders() : this(8) { }

    internal HttpHeaders(int capacity) => _fields = new KeyValuePair<string, string>[Math.Max(capacity, 1)];

    /// <summary>Number of header lines (repeated names count once per line).</summary>
    public int Count => _count;

    /// <summary>Value of the first field with this name, or null.</summary>
    public string? this[string name]
    {
        get
        {
            int index = IndexOf(name, 0);
            return index < 0 ? null : _fields[index].Value;
        }
    }

    /// <summary>Number of lines carrying this field name (e.g. to reject a repeated Host).</summary>
    public int CountOf(string name)
    {
        int n = 0;
        for (int i = IndexOf(name, 0); i >= 0; i = IndexOf(name, i + 1))
        {
            n++;
        }
        return n;
    }

    /// <summary>Values of every line with this name, in order.</summary>
    public IEnumerable<string> GetValues(string name)
    {
        for (int i = IndexOf(name, 0); i >= 0; i = IndexOf(name, i + 1))
        {
            yield return _fields[i].Value;
        }
    }

    /// <summary>
    /// True if any comma-separated element of any line named <paramref name="name"/> equals <paramref name="token"/>
    /// case-insensitively after trimming optional whitespace (RFC 9110 §5.6.1 list syntax), e.g.
    /// <c>Connection: keep-alive, Upgrade</c> contains "upgrade".
    /// </summary>
    public bool ContainsToken(string name, string token)
    {
        for (int i = IndexOf(name, 0); i >= 0; i = IndexOf(name, i + 1))
        {
            if (ListContains(_fields[i].Value, token))
            {
                return true;
            }
        }
        return false;
    }

    public Enumerator GetEnumerator() => new(this);

    IEnumerator<KeyValuePair<string, string>> IEnumerable<KeyValuePair<string, string>>.GetEnumerator() => GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    internal void Add(string name, string value)
    {
        if (_count == _fields.Length)
        {
            Array.Resize(ref _fields, _count * 2);
        }
        _fields[_count++] = new KeyValuePair<string, string>(name, value);
    }

    private int IndexOf(string name, int start)
    {
        for (int i = start; i < _count; i++)
        {
            if (string.Equals(_fields[i].Key, name, StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }
        return -1;
    }

    private static bool ListContains(string value, string token)
    {
        ReadOnlySpan<char> rest = value;
        while (true)
        {
            int comma = rest.IndexOf(',');
            ReadOnlySpan<char> element = (comma < 0 ? rest : rest[..comma]).Trim(" \t");
            if (element.Equals(token, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
            if (comma < 0)
            {
                return false;
            }
            rest = rest[(comma + 1)..];
        }
    }

    /// <summary>Allocation-free enumerator over the fields in arrival order.</summary>
    public struct Enumerator : IEnumerator<KeyValuePair<string, string>>
    {
        private readonly HttpHeaders _headers;
        private int _index;

        internal Enumerator(HttpHeaders headers)
        {
            _headers = headers;
            _index = -1;
        }

        public readonly KeyValuePair<string, string> Current => _headers._fields[_index];

        readonly object IEnumerator.Current => Current;

        public bool MoveNext() => ++_index < _headers._count;

        public void Reset() => _index = -1;

        public readonly void Dispose() { }
    }
}
