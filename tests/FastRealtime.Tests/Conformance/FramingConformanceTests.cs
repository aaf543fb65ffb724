using FastRealtime.Tests.Infrastructure;
using FastRealtime.Transport.WebSockets;

namespace FastRealtime.Tests.Conformance;

/// <summary>
/// RFC 6455 §5.2 payload lengths through /echo (Autobahn 1.x and 9.x): every length encoding boundary
/// (7-bit up to 125, 16-bit from 126 to 65535, 64-bit from 65536), and messages of several MiB.
/// </summary>
public sealed class FramingConformanceTests
{
    private const int MiB = 1024 * 1024;

    public static TheoryData<WebSocketMessageKind, int> BoundaryLengths() => Cross([0, 125, 126, 127, 65535, 65536]);

    public static TheoryData<WebSocketMessageKind, int> MebibyteLengths() => Cross([1 * MiB, 4 * MiB, 16 * MiB]);

    [Theory]
    [MemberData(nameof(BoundaryLengths))]
    public async Task Message_PayloadLengthAtEncodingBoundary_EchoedExactly(WebSocketMessageKind kind, int length)
    {
        await using var echo = await EchoCase.OpenAsync();
        await AssertEchoedAsync(echo, kind, length);
        await echo.AssertServerStillServesAsync();
    }

    [Theory]
    [MemberData(nameof(MebibyteLengths))]
    public async Task Message_MultiMebibyteWithRaisedLimit_EchoedExactly(WebSocketMessageKind kind, int length)
    {
        // The echo of the message must fit the message limit, the frame limit and the outbound queue bound.
        await using var echo = await EchoCase.OpenAsync(s =>
        {
            s.MaxMessageSize = length;
            s.MaxFrameSize = length;
            s.MaxOutboundBytes = 2L * length + 1024;
        });
        await AssertEchoedAsync(echo, kind, length);
        await echo.AssertServerStillServesAsync();
    }

    private static async Task AssertEchoedAsync(EchoCase echo, WebSocketMessageKind kind, int length)
    {
        bool text = kind == WebSocketMessageKind.Text;
        var payload = text ? TextPayload(length) : BinaryPayload(length);
        await echo.SendAsync(WireFrame.Build(text ? 0x1 : 0x2, payload));
        await echo.ExpectMessageAsync(kind, payload);
    }

    private static TheoryData<WebSocketMessageKind, int> Cross(int[] lengths)
    {
        var data = new TheoryData<WebSocketMessageKind, int>();
        foreach (var kind in new[] { WebSocketMessageKind.Text, WebSocketMessageKind.Binary })
            foreach (int length in lengths) data.Add(kind, length);
        return data;
    }

    [Fact]
    public async Task Binary_ManyMessagesInOneWrite_AllEchoedInOrder()
    {
        await using var echo = await EchoCase.OpenAsync();
        var payloads = Enumerable.Range(0, 100).Select(i => BinaryPayload(i * 37)).ToArray();
        await echo.SendAsync(payloads.Select(p => WireFrame.Build(0x2, p)).ToArray());
        foreach (var payload in payloads) await echo.ExpectMessageAsync(WebSocketMessageKind.Binary, payload);
    }

    /// <summary>Valid UTF-8 of exactly <paramref name="length"/> bytes: ASCII with 2- and 3-byte characters mixed in.</summary>
    public static byte[] TextPayload(int length)
    {
        var bytes = new byte[length];
        int i = 0;
        while (i < length)
        {
            if (i % 7 == 3 && i + 3 <= length) { "€"u8.CopyTo(bytes.AsSpan(i)); i += 3; }
            else if (i % 5 == 1 && i + 2 <= length) { "é"u8.CopyTo(bytes.AsSpan(i)); i += 2; }
            else bytes[i++] = (byte)('a' + i % 26);
        }
        return bytes;
    }

    public static byte[] BinaryPayload(int length)
    {
        var bytes = new byte[length];
        new Random(length).NextBytes(bytes);
        return bytes;
    }
}
