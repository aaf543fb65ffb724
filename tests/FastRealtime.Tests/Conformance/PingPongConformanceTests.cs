using FastRealtime.Tests.Infrastructure;
using FastRealtime.Transport.WebSockets;

namespace FastRealtime.Tests.Conformance;

/// <summary>RFC 6455 §5.5.2-§5.5.3 (Autobahn 2.x): pings are answered with the same payload, pongs need no answer.</summary>
public sealed class PingPongConformanceTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(125)]
    public async Task Ping_WithPayloadUpTo125Bytes_PongCarriesSamePayload(int length)
    {
        await using var echo = await EchoCase.OpenAsync();
        var payload = FramingConformanceTests.BinaryPayload(length);
        await echo.SendAsync(WireFrame.Build(0x9, payload));
        await echo.ExpectPongAsync(payload);
        await echo.AssertServerStillServesAsync();
    }

    [Fact]
    public async Task Ping_126BytePayload_ClosesWith1002()
    {
        await using var echo = await EchoCase.OpenAsync();
        await echo.SendAsync(WireFrame.Build(0x9, new byte[126])); // §5.5: control payload at most 125
        await echo.ExpectFailureAsync(WebSocketCloseCodes.ProtocolError);
    }

    [Fact]
    public async Task Pong_Unsolicited_IsIgnored()
    {
        await using var echo = await EchoCase.OpenAsync();
        await echo.SendAsync(WireFrame.Build(0xA, "unsolicited"u8), WireFrame.Build(0x1, "after"u8));
        await echo.ExpectTextAsync("after"); // §5.5.3: an unsolicited pong expects no response
    }

    [Fact]
    public async Task Ping_BetweenFragmentsOfAMessage_AnsweredAndMessageIntact()
    {
        await using var echo = await EchoCase.OpenAsync();
        await echo.SendAsync(
            WireFrame.Build(0x1, "frag"u8, fin: false),
            WireFrame.Build(0x9, "between"u8),   // §5.4: control frames may be injected between fragments
            WireFrame.Build(0x0, "ment"u8, fin: true));
        await echo.ExpectPongAsync("between"u8.ToArray());
        await echo.ExpectTextAsync("fragment");
    }

    [Fact]
    public async Task Pong_BetweenFragmentsOfAMessage_IgnoredAndMessageIntact()
    {
        await using var echo = await EchoCase.OpenAsync();
        await echo.SendAsync(
            WireFrame.Build(0x2, [1, 2], fin: false),
            WireFrame.Build(0xA, "p"u8),
            WireFrame.Build(0x0, [3], fin: true));
        await echo.ExpectMessageAsync(WebSocketMessageKind.Binary, [1, 2, 3]);
    }

    [Fact]
    public async Task Ping_TenInOneWrite_EachAnsweredInOrder()
    {
        await using var echo = await EchoCase.OpenAsync();
        await echo.SendAsync(Enumerable.Range(0, 10).Select(i => WireFrame.Build(0x9, [(byte)i])).ToArray());
        for (int i = 0; i < 10; i++) await echo.ExpectPongAsync([(byte)i]);
    }

    [Fact]
    public async Task Ping_Fragmented_ClosesWith1002()
    {
        await using var echo = await EchoCase.OpenAsync();
        await echo.SendAsync(WireFrame.Build(0x9, "a"u8, fin: false), WireFrame.Build(0x0, "b"u8)); // §5.5: never fragmented
        await echo.ExpectFailureAsync(WebSocketCloseCodes.ProtocolError);
    }
}
