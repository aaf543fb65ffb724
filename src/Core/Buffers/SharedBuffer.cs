using System.Buffers;
using System.Collections.Concurrent;
using System.Diagnostics;

namespace FastRealtime.Core.Buffers;

/// <summary>
/// A pooled, reference-counted byte buffer: one encoded, framed message shared by every connection
/// that sends it (architecture.md, "encode once, frame once, share the bytes").
/// </summary>
/// <remarks>
/// Thread safety: <see cref="AddReference"/> and <see cref="Release"/> may be called from any thread.
/// The creator holds the first reference; each outbound queue that accepts the buffer takes one more;
/// the array goes back to the pool when the last reference is released. Writing into <see cref="Span"/>
/// is only allowed before the buffer is shared.
/// </remarks>
public sealed class SharedBuffer
{
    // Objects are pooled too, so a steady stream of messages allocates nothing after warm-up.
    private static readonly ConcurrentQueue<SharedBuffer> s_pool = new();
    private static int s_pooledCount;
    private const int MaxPooledObjects = 16 * 1024;

    private byte[] _array = [];
    private int _length;
    private int _references;

    private SharedBuffer() { }

    /// <summary>Rents a buffer of exactly <paramref name="length"/> usable bytes with one reference held by the caller.</summary>
    public static SharedBuffer Rent(int length)
    {
        if (!s_pool.TryDequeue(out var buffer))
            buffer = new SharedBuffer();
        else
            Interlocked.Decrement(ref s_pooledCount);
        buffer._array = ArrayPool<byte>.Shared.Rent(Math.Max(length, 1));
        buffer._length = length;
        buffer._references = 1;
        buffer.MessageCount = 1;
        return buffer;
    }

    /// <summary>Rents a buffer holding a copy of <paramref name="bytes"/>.</summary>
    public static SharedBuffer CopyOf(ReadOnlySpan<byte> bytes)
    {
        var buffer = Rent(bytes.Length);
        bytes.CopyTo(buffer._array);
        return buffer;
    }

    public int Length => _length;

    /// <summary>Complete messages the bytes hold (several when publishes were merged); for the sent-messages metric.</summary>
    public int MessageCount { get; internal set; }

    /// <summary>Writable view; only for the creator before the buffer is shared.</summary>
    public Span<byte> Span => _array.AsSpan(0, _length);

    public ReadOnlyMemory<byte> Memory => _array.AsMemory(0, _length);

    internal byte[] Array => _array;

    /// <summary>Shrinks the visible length after writing fewer bytes than rented.</summary>
    public void Truncate(int length)
    {
        Debug.Assert((uint)length <= (uint)_length);
        _length = length;
    }

    public void AddReference()
    {
        int after = Interlocked.Increment(ref _references);
        Debug.Assert(after > 1, "AddReference on a released buffer");
    }

    public void AddReferences(int count)
    {
        if (count <= 0) return;
        int after = Interlocked.Add(ref _references, count);
        Debug.Assert(after > count, "AddReferences on a released buffer");
    }

    public void Release()
    {
        int after = Interlocked.Decrement(ref _references);
        if (after > 0) return;
        Debug.Assert(after == 0, "SharedBuffer released more often than referenced");
        var array = _array;
        _array = [];
        _length = 0;
        ArrayPool<byte>.Shared.Return(array);
        if (Interlocked.Increment(ref s_pooledCount) <= MaxPooledObjects)
            s_pool.Enqueue(this);
        else
            Interlocked.Decrement(ref s_pooledCount);
    }
}
