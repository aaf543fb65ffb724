using System.Buffers;

namespace FastRealtime.Transport.WebSockets;

/// <summary>
/// The pooled buffer a fragmented or large message is copied into until its last byte arrives. Rented from
/// <see cref="ArrayPool{T}.Shared"/> on the first byte, grown by doubling up to a cap, returned after delivery
/// so an idle connection holds none.
/// </summary>
internal struct ReassemblyBuffer
{
    // Small messages stay in one rent; ArrayPool rounds sizes up to powers of two anyway.
    private const int InitialSize = 4096;

    private byte[]? _array;
    private int _length;

    public readonly int Length => _length;

    /// <summary>The bytes written so far; valid until the next <see cref="Release"/> or growth.</summary>
    public readonly ReadOnlySequence<byte> Written =>
        _array is null ? ReadOnlySequence<byte>.Empty : new ReadOnlySequence<byte>(_array, 0, _length);

    /// <summary>Room for <paramref name="count"/> more bytes; growth never exceeds <paramref name="cap"/> unless the bytes need it.</summary>
    public Span<byte> GetSpan(int count, long cap)
    {
        int required = checked(_length + count);
        if (_array is null || _array.Length < required)
        {
            Grow(required, cap);
        }

        return _array.AsSpan(_length, count);
    }

    public void Advance(int count) => _length += count;

    public void Release()
    {
        byte[]? array = _array;
        _array = null;
        _length = 0;
        if (array is not null)
        {
            ArrayPool<byte>.Shared.Return(array);
        }
    }

    private void Grow(int required, long cap)
    {
        long doubled = Math.Max(InitialSize, 2L * (_array?.Length ?? 0));
        int size = (int)Math.Max(required, Math.Min(doubled, cap));
        byte[] next = ArrayPool<byte>.Shared.Rent(size);
        if (_array is not null)
        {
            _array.AsSpan(0, _length).CopyTo(next);
            ArrayPool<byte>.Shared.Return(_array);
        }

        _array = next;
    }
}
