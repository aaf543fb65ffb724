using System.Buffers;
using FastRealtime.Transport.WebSockets;
using Xunit.Sdk;

namespace FastRealtime.Tests.WebSockets.Framing;

internal sealed record FeedResult(IReadOnlyList<FrameEvent> Events, FrameError Error, bool CloseReceived, byte[] Unconsumed);

/// <summary>
/// Feeds wire bytes to a fresh reader the way a pipe would: each read sees the bytes it left unconsumed last
/// time (as one segment, with any in-place unmasking it did) followed by the newly arrived chunk.
/// </summary>
internal static class FrameFeeder
{
    public static FeedResult Feed(
        WebSocketRole role, IReadOnlyList<byte[]> arrivals, WebSocketLimits? limits = null, bool allowRsv1 = false,
        List<bool>? compressed = null)
    {
        using var reader = new WebSocketFrameReader(role, limits ?? new WebSocketLimits()) { AllowRsv1 = allowRsv1 };
        var handler = new RecordingHandler { Reader = reader };
        byte[] pending = [];
        FrameError error = FrameError.None;
        int next = 0;
        while (next < arrivals.Count && error == FrameError.None && !reader.CloseReceived)
        {
            var buffer = SegmentedSequence.Create(pending, (byte[])arrivals[next++].Clone());
            error = reader.Read(ref buffer, ref handler);
            pending = buffer.ToArray();
        }

        compressed?.AddRange(handler.Compressed);
        byte[] unconsumed = Wire.Concat([pending, .. arrivals.Skip(next)]);
        return new FeedResult(handler.Events, error, reader.CloseReceived, unconsumed);
    }

    /// <summary>All bytes in one read, as one contiguous segment.</summary>
    public static FeedResult FeedWhole(WebSocketRole role, byte[] wire, WebSocketLimits? limits = null, bool allowRsv1 = false) =>
        Feed(role, [wire], limits, allowRsv1);

    /// <summary>
    /// Asserts that every way of delivering <paramref name="wire"/> gives the expected events and error: in one
    /// read; split into two reads at every byte boundary; one byte per read; in one read of one-byte segments;
    /// in one read of random segments. Inputs over 4 KiB are split at a sample of boundaries to stay fast.
    /// </summary>
    public static void AssertEveryFeed(
        WebSocketRole role, byte[] wire, IReadOnlyList<FrameEvent> expectedEvents, FrameError expectedError = FrameError.None,
        WebSocketLimits? limits = null, bool allowRsv1 = false)
    {
        FeedResult whole = FeedWhole(role, wire, limits, allowRsv1);
        Check("whole", whole, expectedEvents, expectedError, null);

        foreach (int split in SplitPoints(wire.Length))
        {
            Check($"split at {split}", Feed(role, [wire[..split], wire[split..]], limits, allowRsv1), expectedEvents, expectedError, whole);
        }

        var random = new Random(wire.Length);
        if (wire.Length <= 4096)
        {
            byte[][] bytes = SegmentedSequence.Cut(wire, Enumerable.Repeat(1, wire.Length));
            Check("byte by byte", Feed(role, bytes, limits, allowRsv1), expectedEvents, expectedError, whole);
            Check("one-byte segments", FeedSegmented(role, bytes, limits, allowRsv1), expectedEvents, expectedError, whole);
        }
        else
        {
            byte[][] chunks = SegmentedSequence.Cut(wire, Enumerable.Range(0, wire.Length).Select(_ => random.Next(1, 3000)));
            Check("random reads", Feed(role, chunks, limits, allowRsv1), expectedEvents, expectedError, whole);
        }

        byte[][] segments = SegmentedSequence.Cut(wire, Enumerable.Range(0, wire.Length).Select(_ => random.Next(1, 40)));
        Check("random segments", FeedSegmented(role, segments, limits, allowRsv1), expectedEvents, expectedError, whole);
    }

    private static FeedResult FeedSegmented(WebSocketRole role, byte[][] segments, WebSocketLimits? limits, bool allowRsv1)
    {
        using var reader = new WebSocketFrameReader(role, limits ?? new WebSocketLimits()) { AllowRsv1 = allowRsv1 };
        var handler = new RecordingHandler();
        var buffer = SegmentedSequence.Create(segments.Select(s => (byte[])s.Clone()).ToArray());
        FrameError error = reader.Read(ref buffer, ref handler);
        return new FeedResult(handler.Events, error, reader.CloseReceived, buffer.ToArray());
    }

    private static IEnumerable<int> SplitPoints(int length) =>
        length <= 4096
            ? Enumerable.Range(0, length + 1)
            : Enumerable.Range(0, 64).Concat(Enumerable.Range(0, length / 4099).Select(i => i * 4099))
                .Concat(Enumerable.Range(length - 64, 65)).Distinct();

    private static void Check(string feed, FeedResult actual, IReadOnlyList<FrameEvent> events, FrameError error, FeedResult? whole)
    {
        if (actual.Error != error || !actual.Events.SequenceEqual(events))
        {
            throw new XunitException(
                $"{feed}: expected {error} after [{string.Join(", ", events)}]\n" +
                $"        got {actual.Error} after [{string.Join(", ", actual.Events)}]");
        }

        if (whole is not null && error == FrameError.None &&
            (actual.CloseReceived != whole.CloseReceived || !actual.Unconsumed.AsSpan().SequenceEqual(whole.Unconsumed)))
        {
            throw new XunitException(
                $"{feed}: left {Convert.ToHexString(actual.Unconsumed)} (close {actual.CloseReceived}), " +
                $"whole read left {Convert.ToHexString(whole.Unconsumed)} (close {whole.CloseReceived})");
        }
    }
}
