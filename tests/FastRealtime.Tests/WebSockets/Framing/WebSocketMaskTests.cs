using FastRealtime.Transport.WebSockets;

namespace FastRealtime.Tests.WebSockets.Framing;

public class WebSocketMaskTests
{
    [Fact]
    public void Apply_RfcExample_MasksHello()
    {
        byte[] data = "Hello"u8.ToArray();
        int next = WebSocketMask.Apply(data, Wire.RfcMaskKey, 0); // key 37 fa 21 3d
        Assert.Equal(new byte[] { 0x7f, 0x9f, 0x4d, 0x51, 0x58 }, data);
        Assert.Equal(1, next);
    }

    [Fact]
    public void Apply_EveryLengthUpTo300AndEveryOffset_MatchesScalar()
    {
        var random = new Random(42);
        for (int length = 0; length <= 300; length++)
        {
            for (int offset = 0; offset < 4; offset++)
            {
                uint key = (uint)random.NextInt64();
                byte[] data = Wire.Random(random, length);
                byte[] expected = (byte[])data.Clone();
                int expectedNext = WebSocketMask.ApplyScalar(expected, key, offset);

                int next = WebSocketMask.Apply(data, key, offset);

                Assert.Equal(expected, data);
                Assert.Equal(expectedNext, next);
            }
        }
    }

    [Fact]
    public void Apply_UnalignedSlices_MatchesScalar()
    {
        var random = new Random(7);
        byte[] buffer = Wire.Random(random, 1000);
        for (int start = 0; start < 70; start++)
        {
            int length = random.Next(0, 900);
            uint key = (uint)random.NextInt64();
            byte[] expected = (byte[])buffer.Clone();
            WebSocketMask.ApplyScalar(expected.AsSpan(start, length), key, start & 3);

            byte[] actual = (byte[])buffer.Clone();
            WebSocketMask.Apply(actual.AsSpan(start, length), key, start & 3);

            Assert.Equal(expected, actual);
        }
    }

    [Fact]
    public void Apply_InPiecesWithReturnedOffset_MatchesWhole()
    {
        var random = new Random(3);
        byte[] original = Wire.Random(random, 257);
        byte[] whole = (byte[])original.Clone();
        WebSocketMask.Apply(whole, 0xA1B2C3D4, 0);
        for (int cut1 = 0; cut1 <= original.Length; cut1 += 7)
        {
            for (int cut2 = cut1; cut2 <= original.Length; cut2 += 31)
            {
                byte[] pieces = (byte[])original.Clone();
                int offset = WebSocketMask.Apply(pieces.AsSpan(0, cut1), 0xA1B2C3D4, 0);
                offset = WebSocketMask.Apply(pieces.AsSpan(cut1, cut2 - cut1), 0xA1B2C3D4, offset);
                WebSocketMask.Apply(pieces.AsSpan(cut2), 0xA1B2C3D4, offset);
                Assert.Equal(whole, pieces);
            }
        }
    }

    [Fact]
    public void Apply_Twice_RestoresTheData()
    {
        byte[] original = Wire.Random(new Random(1), 1000);
        byte[] data = (byte[])original.Clone();
        WebSocketMask.Apply(data, 0xDEADBEEF, 2);
        Assert.NotEqual(original, data);
        WebSocketMask.Apply(data, 0xDEADBEEF, 2);
        Assert.Equal(original, data);
    }

    [Fact]
    public void Next_TenThousandKeys_AreDistinctAndAllocateNothingAfterWarmUp()
    {
        var keys = new uint[10_000];
        DrawKeys(keys); // warm up: JIT tiers, first refill

        long before = GC.GetAllocatedBytesForCurrentThread();
        DrawKeys(keys);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.True(keys.Distinct().Count() > 9_950, "mask keys repeat far more often than random 32-bit values would");
    }

    private static void DrawKeys(uint[] keys)
    {
        for (int i = 0; i < keys.Length; i++)
        {
            keys[i] = WebSocketMaskKeys.Next();
        }
    }
}
