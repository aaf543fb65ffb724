using FastRealtime.Transport.WebSockets;

namespace FastRealtime.Tests.WebSockets.Framing;

/// <summary>
/// Random valid conversations (text and binary messages, random fragmentation, pings and pongs between
/// fragments, sometimes a final close) written by <see cref="WebSocketFrameWriter"/> and fed in random pieces:
/// the reader must deliver exactly what was sent, in order.
/// </summary>
public class FrameReaderPropertyTests : FramingTheories
{
    public static TheoryData<WebSocketRole, int> Seeds() => ForBothRoles(Enumerable.Range(0, 25));

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Read_RandomConversationInRandomPieces_DeliversExactlyWhatWasSent(WebSocketRole receiver, int seed)
    {
        var random = new Random(seed);
        (byte[] wire, List<FrameEvent> expected) = RandomConversation(random, masked: receiver == WebSocketRole.Server);

        for (int attempt = 0; attempt < 4; attempt++)
        {
            int maxPiece = attempt % 2 == 0 ? 16 : 5000;
            byte[][] pieces = SegmentedSequence.Cut(wire, Enumerable.Range(0, wire.Length).Select(_ => random.Next(1, maxPiece)));
            FeedResult result = FrameFeeder.Feed(receiver, pieces);
            Assert.Equal(FrameError.None, result.Error);
            Assert.Equal(expected, result.Events);
        }
    }

    private static (byte[] Wire, List<FrameEvent> Expected) RandomConversation(Random random, bool masked)
    {
        var frames = new List<byte[]>();
        var expected = new List<FrameEvent>();
        int messages = random.Next(1, 12);
        for (int m = 0; m < messages; m++)
        {
            bool text = random.Next(2) == 0;
            int size = random.Next(100) switch { < 80 => random.Next(0, 200), < 95 => random.Next(0, 5000), _ => random.Next(0, 50_000) };
            byte[] payload = text ? RandomText.Utf8(random, size / 2) : Wire.Random(random, size);
            int[] cuts = Enumerable.Range(0, random.Next(0, 4)).Select(_ => random.Next(0, payload.Length + 1)).Order().ToArray();
            int start = 0;
            for (int f = 0; f <= cuts.Length; f++)
            {
                int end = f < cuts.Length ? cuts[f] : payload.Length;
                WebSocketOpcode opcode = f > 0 ? WebSocketOpcode.Continuation : text ? WebSocketOpcode.Text : WebSocketOpcode.Binary;
                frames.Add(Frame(opcode, payload[start..end], fin: f == cuts.Length, masked, random));
                start = end;
                if (f == cuts.Length)
                {
                    expected.Add(text ? FrameEvent.Text(payload) : FrameEvent.Binary(payload));
                }

                if (random.Next(10) < 3)
                {
                    byte[] control = Wire.Random(random, random.Next(0, 126));
                    bool ping = random.Next(2) == 0;
                    frames.Add(Frame(ping ? WebSocketOpcode.Ping : WebSocketOpcode.Pong, control, fin: true, masked, random));
                    expected.Add(ping ? FrameEvent.Ping(control) : FrameEvent.Pong(control));
                }
            }
        }

        if (random.Next(3) == 0)
        {
            byte[] close = new byte[WebSocketFrameWriter.MaxHeaderSize + 125];
            ushort code = (ushort)random.Next(3000, 5000);
            int length = WebSocketFrameWriter.WriteClose(close, code, "bye"u8, masked, (uint)random.NextInt64());
            frames.Add(close[..length]);
            expected.Add(FrameEvent.Close(code, "bye"));
        }

        return (Wire.Concat([.. frames]), expected);
    }

    private static byte[] Frame(WebSocketOpcode opcode, byte[] payload, bool fin, bool masked, Random random)
    {
        byte[] frame = new byte[WebSocketFrameWriter.GetFrameSize(payload.Length, masked)];
        WebSocketFrameWriter.WriteFrame(frame, opcode, payload, fin, masked, (uint)random.NextInt64());
        return frame;
    }
}
