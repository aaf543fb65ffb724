using FastRealtime.Tests.Infrastructure;
using FastRealtime.Transport.WebSockets;

namespace FastRealtime.Tests.Conformance;

/// <summary>
/// Size limits (RFC 6455 §7.4.1 code 1009, §10.4): checked when a header announces a length, before any payload
/// is read or buffered; the 64-bit length's top bit must be 0 (§5.2).
/// </summary>
public sealed class LimitsConformanceTests
{
    private const int Limit = 64 * 1024;

    private static void SmallLimit(Chat.Hosting.ServerSettings s)
    {
        s.MaxMessageSize = Limit;
        s.MaxFrameSize = Limit;
    }

    [Fact]
    public async Task Message_ExactlyAtMaxMessageSize_Echoed()
    {
        await using var echo = await EchoCase.OpenAsync(SmallLimit);
        var payload = FramingConformanceTests.BinaryPayload(Limit);
        await echo.SendAsync(WireFrame.Build(0x2, payload));
        await echo.ExpectMessageAsync(WebSocketMessageKind.Binary, payload);
    }

    [Fact]
    public async Task Message_OneByteOverMaxMessageSize_ClosesWith1009()
    {
        await using var echo = await EchoCase.OpenAsync(SmallLimit);
        await echo.SendAsync(WireFrame.Build(0x2, new byte[Limit + 1]));
        await echo.ExpectFailureAsync(WebSocketCloseCodes.MessageTooBig);
    }

    [Fact]
    public async Task Message_OverDefaultLimitOf1MiB_ClosesWith1009()
    {
        await using var echo = await EchoCase.OpenAsync();
        await echo.SendAsync(WireFrame.Header(0x2, 1024 * 1024 + 1)); // header only: refused on the announced length
        await echo.ExpectCloseAsync(WebSocketCloseCodes.MessageTooBig);
    }

    [Fact]
    public async Task Frame_Declaring2Pow63Minus1Bytes_ClosesWith1009WithoutPayload()
    {
        await using var echo = await EchoCase.OpenAsync();
        await echo.SendAsync(WireFrame.Header(0x2, long.MaxValue)); // 14 bytes; not one payload byte follows
        await echo.ExpectFailureAsync(WebSocketCloseCodes.MessageTooBig);
    }

    [Fact]
    public async Task Frame_64BitLengthWithHighBitSet_ClosesWith1002()
    {
        await using var echo = await EchoCase.OpenAsync();
        await echo.SendAsync(WireFrame.Header(0x2, 1UL << 63));
        await echo.ExpectCloseAsync(WebSocketCloseCodes.ProtocolError);
    }

    [Fact]
    public async Task Message_FragmentsSummingOverMaxMessageSize_ClosesWith1009()
    {
        await using var echo = await EchoCase.OpenAsync(SmallLimit);
        var third = Limit / 3 + 1; // each fragment is within the frame limit; together they are not
        await echo.SendAsync(
            WireFrame.Build(0x2, new byte[third], fin: false),
            WireFrame.Build(0x0, new byte[third], fin: false),
            WireFrame.Build(0x0, new byte[third], fin: false));
        await echo.ExpectFailureAsync(WebSocketCloseCodes.MessageTooBig);
    }

    [Fact]
    public async Task Message_ContinuationHeaderPushingTotalOverLimit_ClosesWith1009BeforeItsPayload()
    {
        await using var echo = await EchoCase.OpenAsync(SmallLimit);
        await echo.SendAsync(WireFrame.Build(0x2, new byte[Limit - 10], fin: false), WireFrame.Header(0x0, 11));
        await echo.ExpectCloseAsync(WebSocketCloseCodes.MessageTooBig);
    }
}
