using System.Text.Json;

namespace FastRealtime.Transport.SocketIO;

/// <summary>
/// The elements of a JSON array as raw JSON slices, read lazily with <see cref="Utf8JsonReader"/>: no argument is
/// materialized as a string or a document. For an EVENT the first element (the name) is skipped.
/// </summary>
/// <remarks>Only built over arrays the parser validated, so the reads cannot fail.</remarks>
public readonly ref struct SocketIoArguments
{
    private readonly ReadOnlySpan<byte> _array;
    private readonly int _skip;

    public SocketIoArguments(ReadOnlySpan<byte> jsonArray, int skip = 0)
    {
        _array = jsonArray;
        _skip = skip;
    }

    /// <summary>The whole array, name included for an event.</summary>
    public ReadOnlySpan<byte> RawArray => _array;

    public int Count
    {
        get
        {
            int count = 0;
            foreach (var _ in this) count++;
            return count;
        }
    }

    public ReadOnlySpan<byte> this[int index]
    {
        get
        {
            foreach (var element in this)
                if (index-- == 0) return element;
            throw new ArgumentOutOfRangeException(nameof(index));
        }
    }

    /// <summary>The elements as written, comma-separated, without brackets ("" when none): ready to re-emit or ack unchanged.</summary>
    public ReadOnlySpan<byte> Joined
    {
        get
        {
            int start = -1, end = 0;
            var enumerator = GetEnumerator();
            while (enumerator.MoveNext())
            {
                if (start < 0) start = enumerator.CurrentStart;
                end = enumerator.CurrentStart + enumerator.Current.Length;
            }
            return start < 0 ? ReadOnlySpan<byte>.Empty : _array[start..end];
        }
    }

    public Enumerator GetEnumerator() => new(_array, _skip);

    /// <summary>Walks the array's elements; each Current is one element's raw JSON.</summary>
    public ref struct Enumerator
    {
        private readonly ReadOnlySpan<byte> _array;
        private Utf8JsonReader _reader;
        private int _skip;

        internal Enumerator(ReadOnlySpan<byte> array, int skip)
        {
            _array = array;
            _skip = skip;
            _reader = new Utf8JsonReader(array);
            if (array.IsEmpty || !_reader.Read()) _skip = int.MaxValue; // not an array: nothing to enumerate
        }

        public ReadOnlySpan<byte> Current { get; private set; }

        internal int CurrentStart { get; private set; }

        public bool MoveNext()
        {
            if (_skip == int.MaxValue) return false;
            while (_reader.Read() && _reader.TokenType != JsonTokenType.EndArray)
            {
                int start = (int)_reader.TokenStartIndex;
                if (_reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray) _reader.Skip();
                if (_skip > 0)
                {
                    _skip--;
                    continue;
                }
                CurrentStart = start;
                Current = _array[start..(int)_reader.BytesConsumed];
                return true;
            }
            _skip = int.MaxValue;
            return false;
        }
    }
}
