using System.Buffers;
using FastRealtime.Transport.WebSockets;

namespace FastRealtime.Tests.WebSockets.Framing;

/// <summary>The receive hot path allocates nothing per message once warmed up.</summary>
/// <remarks>
/// Each test measures three rounds and asserts that one of them allocated nothing: a round can meet a one-off runtime
/// event on its thread while the rest of the suite runs (tiered re-JIT of a hot method, ArrayPool trimming after a
/// gen-2 GC). A reader that allocated per message would allocate in every round.
/// </remarks>
public class FrameReaderAllocationTests
{
    private const int Rounds = 3;

    [Fact]
    public void Read_TenThousandSmallMaskedFramesInOneBuffer_AllocatesNothing()
    {
        byte[] wire = MaskedFrames(10_000, payloadLength: 16, fragments: 1);

        AssertReadsWithoutAllocating(wire, pieceSize: wire.Length, messagesPerRound: 10_000);
    }

    [Fact]
    public void Read_SmallMaskedFramesArrivingInPieces_AllocatesNothing()
    {
        byte[] wire = MaskedFrames(10_000, payloadLength: 16, fragments: 1);

        AssertReadsWithoutAllocating(wire, pieceSize: 777, messagesPerRound: 10_000);
    }

    [Fact]
    public void Read_FragmentedAndLargeMessages_AllocatesNothingAfterWarmUp()
    {
        byte[] wire = Wire.Concat(MaskedFrames(1000, payloadLength: 300, fragments: 3), MaskedFrames(20, payloadLength: 40_000, fragments: 1));

        AssertReadsWithoutAllocating(wire, pieceSize: 1500, messagesPerRound: 1020);
    }

    // One warm-up round (JIT, pool), then the measured rounds; every round must deliver every message.
    private static void AssertReadsWithoutAllocating(byte[] wire, int pieceSize, int messagesPerRound)
    {
        var run = new Run(wire);
        run.ReadAll(pieceSize);

        long allocated = Enumerable.Range(0, Rounds).Select(_ => run.MeasureReadAll(pieceSize)).Min();

        Assert.Equal(0, allocated);
        Assert.Equal((1 + Rounds) * messagesPerRound, run.Handler.Messages);
        Assert.Equal(FrameError.None, run.LastError);
    }

    private static byte[] MaskedFrames(int messages, int payloadLength, int fragments)
    {
        var random = new Random(messages);
        byte[] text = new byte[payloadLength];
        text.AsSpan().Fill((byte)'x');
        int fragmentLength = payloadLength / fragments;
        var frames = new List<byte[]>();
        for (int m = 0; m < messages; m++)
        {
            for (int f = 0; f < fragments; f++)
            {
                int length = f == fragments - 1 ? payloadLength - (fragmentLength * f) : fragmentLength;
                var opcode = f > 0 ? WebSocketOpcode.Continuation : WebSocketOpcode.Text;
                byte[] frame = new byte[WebSocketFrameWriter.GetFrameSize(length, masked: true)];
                WebSocketFrameWriter.WriteFrame(frame, opcode, text.AsSpan(0, length), f == fragments - 1, masked: true, (uint)random.NextInt64());
                frames.Add(frame);
            }
        }

        return Wire.Concat([.. frames]);
    }

    // Feeds one array the way a pipe presents it: the unconsumed bytes plus whatever arrived since, same memory.
    private sealed class Run(byte[] wire)
    {
        private readonly byte[] _work = new byte[wire.Length];
        private readonly WebSocketFrameReader _reader = new(WebSocketRole.Server, new WebSocketLimits());

        public CountingFrameHandler Handler;

        public FrameError LastError { get; private set; }

        public long MeasureReadAll(int pieceSize)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            ReadAll(pieceSize);
            return GC.GetAllocatedBytesForCurrentThread() - before;
        }

        public void ReadAll(int pieceSize)
        {
            wire.CopyTo(_work, 0); // the reader unmasks in place
            var all = new ReadOnlySequence<byte>(_work);
            int start = 0;
            for (int end = Math.Min(pieceSize, _work.Length); ; end = Math.Min(end + pieceSize, _work.Length))
            {
                ReadOnlySequence<byte> buffer = all.Slice(start, end - start);
                LastError = _reader.Read(ref buffer, ref Handler);
                start = end - (int)buffer.Length;
                if (end == _work.Length || LastError != FrameError.None)
                {
                    return;
                }
            }
        }
    }
}
