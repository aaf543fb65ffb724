using System.Buffers;
using System.Text.Json;

namespace FastRealtime.Chat.Gateways.Serialization;

/// <summary>
/// A per-thread growable buffer with a reusable <see cref="Utf8JsonWriter"/>: where a payload is serialized once
/// (then framed by each wire format), so serializing allocates nothing after warm-up.
/// </summary>
/// <remarks>
/// Not thread-safe; <see cref="Rent"/> takes the thread's instance out (a nested use on the same thread gets a fresh
/// one) and <see cref="Return"/> puts it back. Buffers grown past <see cref="MaxRetainedBytes"/> are not kept.
/// </remarks>
internal sealed class JsonScratch : IBufferWriter<byte>
{
    internal const int MaxRetainedBytes = 64 * 1024;

    [ThreadStatic] private static JsonScratch? t_cached;

    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(1024);
    private int _written;
    private readonly Utf8JsonWriter _writer;
    private readonly JsonWriterOptions _options;

    private JsonScratch(JsonWriterOptions options)
    {
        _options = options;
        _writer = new Utf8JsonWriter(this, options);
    }

    public Utf8JsonWriter Writer => _writer;

    public ReadOnlySpan<byte> WrittenSpan => _buffer.AsSpan(0, _written);

    public static JsonScratch Rent(JsonWriterOptions options)
    {
        var scratch = t_cached;
        if (scratch is null || scratch._options.Encoder != options.Encoder) return new JsonScratch(options);
        t_cached = null;
        return scratch;
    }

    public void Return()
    {
        _writer.Reset(this);
        _written = 0;
        if (_buffer.Length > MaxRetainedBytes)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = ArrayPool<byte>.Shared.Rent(1024);
        }
        t_cached = this;
    }

    public void Advance(int count) => _written += count;

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _buffer.AsMemory(_written);
    }

    public Span<byte> GetSpan(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _buffer.AsSpan(_written);
    }

    private void Ensure(int sizeHint)
    {
        if (_buffer.Length - _written >= Math.Max(sizeHint, 1)) return;
        var grown = ArrayPool<byte>.Shared.Rent(Math.Max(_buffer.Length * 2, _written + sizeHint));
        _buffer.AsSpan(0, _written).CopyTo(grown);
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = grown;
    }
}
