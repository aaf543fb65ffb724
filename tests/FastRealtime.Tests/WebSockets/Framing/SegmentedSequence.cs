using System.Buffers;

namespace FastRealtime.Tests.WebSockets.Framing;

/// <summary>Builds a multi-segment <see cref="ReadOnlySequence{T}"/> over the given arrays (used as-is, not copied).</summary>
internal static class SegmentedSequence
{
    public static ReadOnlySequence<byte> Create(params byte[][] segments)
    {
        byte[][] nonEmpty = segments.Where(s => s.Length > 0).ToArray();
        if (nonEmpty.Length == 0)
        {
            return ReadOnlySequence<byte>.Empty;
        }

        if (nonEmpty.Length == 1)
        {
            return new ReadOnlySequence<byte>(nonEmpty[0]);
        }

        var first = new Segment(nonEmpty[0], 0);
        Segment last = first;
        foreach (byte[] segment in nonEmpty.Skip(1))
        {
            last = last.Append(segment);
        }

        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }

    /// <summary>Cuts <paramref name="bytes"/> into segments of the given sizes (the last one takes the rest).</summary>
    public static byte[][] Cut(byte[] bytes, IEnumerable<int> sizes)
    {
        var parts = new List<byte[]>();
        int position = 0;
        foreach (int size in sizes)
        {
            if (position >= bytes.Length)
            {
                break;
            }

            int take = Math.Min(size, bytes.Length - position);
            parts.Add(bytes[position..(position + take)]);
            position += take;
        }

        if (position < bytes.Length)
        {
            parts.Add(bytes[position..]);
        }

        return parts.ToArray();
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(byte[] bytes, long runningIndex)
        {
            Memory = bytes;
            RunningIndex = runningIndex;
        }

        public Segment Append(byte[] bytes)
        {
            var next = new Segment(bytes, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }
}
