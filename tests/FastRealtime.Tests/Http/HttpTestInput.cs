using System.Buffers;
using System.Text;
using FastRealtime.Transport.Http;

namespace FastRealtime.Tests.Http;

/// <summary>Result of one request-head parse, with the bytes left in the buffer.</summary>
internal readonly record struct RequestParse(HttpParseStatus Status, HttpRequestHead? Head, int StatusCode, string? Reason, byte[] Remaining);

/// <summary>
/// Builds multi-segment buffers and runs a parse over every way the bytes can arrive: one segment, two segments split
/// at every byte boundary, one byte per segment, and a growing prefix as a pipe would deliver it.
/// </summary>
internal static class HttpTestInput
{
    internal static byte[] Bytes(string text) => Encoding.Latin1.GetBytes(text);

    internal static RequestParse ParseRequest(ReadOnlySequence<byte> buffer, HttpLimits? limits = null)
    {
        HttpParseStatus status = HttpRequestHeadParser.TryParse(ref buffer, limits ?? new HttpLimits(), out HttpRequestHead? head, out int code, out string? reason);
        return new RequestParse(status, head, code, reason, buffer.ToArray());
    }

    internal static RequestParse ParseRequest(string text, HttpLimits? limits = null) => ParseRequest(new ReadOnlySequence<byte>(Bytes(text)), limits);

    /// <summary>Parses <paramref name="input"/> arriving in every shape and hands each outcome to <paramref name="check"/>;
    /// also checks that feeding growing prefixes stops exactly where the whole-buffer parse says the head ends (or fails).</summary>
    internal static void ForEverySplit(byte[] input, Action<RequestParse> check, HttpLimits? limits = null)
    {
        RequestParse whole = ParseRequest(new ReadOnlySequence<byte>(input), limits);
        check(whole);
        for (int cut = 1; cut < input.Length; cut++)
        {
            check(ParseRequest(Segments(input, cut), limits));
        }
        check(ParseRequest(OneBytePerSegment(input), limits));
        AssertIncrementalMatches(input, whole, limits);
    }

    internal static void ForEverySplit(string input, Action<RequestParse> check, HttpLimits? limits = null) =>
        ForEverySplit(Bytes(input), check, limits);

    private static void AssertIncrementalMatches(byte[] input, RequestParse whole, HttpLimits? limits)
    {
        for (int length = 0; length <= input.Length; length++)
        {
            RequestParse partial = ParseRequest(Segments(input.AsSpan(0, length).ToArray(), length / 2), limits);
            if (partial.Status == HttpParseStatus.Incomplete)
            {
                continue;
            }
            Assert.Equal(whole.Status, partial.Status);
            Assert.Equal(whole.StatusCode, partial.StatusCode);
            if (whole.Status == HttpParseStatus.Complete)
            {
                Assert.Equal(input.Length - whole.Remaining.Length, length - partial.Remaining.Length);
            }
            return;
        }
        Assert.Equal(HttpParseStatus.Incomplete, whole.Status);
    }

    /// <summary>A sequence whose segments start at each of <paramref name="cuts"/> (ascending).</summary>
    internal static ReadOnlySequence<byte> Segments(byte[] data, params int[] cuts)
    {
        var bounds = new List<int> { 0 };
        bounds.AddRange(cuts.Where(c => c > 0 && c < data.Length));
        bounds.Add(data.Length);
        Segment? first = null, last = null;
        for (int i = 0; i + 1 < bounds.Count; i++)
        {
            var memory = data.AsMemory(bounds[i], bounds[i + 1] - bounds[i]);
            last = last is null ? first = new Segment(memory, 0) : last.Append(memory);
        }
        return first is null ? ReadOnlySequence<byte>.Empty : new ReadOnlySequence<byte>(first, 0, last!, last!.Memory.Length);
    }

    internal static ReadOnlySequence<byte> OneBytePerSegment(byte[] data) =>
        Segments(data, Enumerable.Range(1, Math.Max(0, data.Length - 1)).ToArray());

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }
}
