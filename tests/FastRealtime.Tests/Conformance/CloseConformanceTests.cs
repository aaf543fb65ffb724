using System.Text;
using FastRealtime.Tests.Infrastructure;
using FastRealtime.Transport.WebSockets;

namespace FastRealtime.Tests.Conformance;

/// <summary>
/// RFC 6455 §5.5.1 and §7.4 (Autobahn 7.x): the server echoes a valid close code, answers a close without a body
/// with a close without a body, fails malformed closes (1002, or 1007 for a bad reason), processes nothing after
/// the close, and closes the TCP connection itself.
/// </summary>
public sealed class CloseConformanceTests
{
    [Theory]
    [InlineData(1000)]
    [InlineData(1001)]
    [InlineData(1002)]
    [InlineData(1003)]
    [InlineData(1007)]
    [InlineData(1008)]
    [InlineData(1009)]
    [InlineData(1010)]
    [InlineData(1011)]
    [InlineData(3000)]
    [InlineData(3999)]
    [InlineData(4000)]
    [InlineData(4999)]
    public async Task Close_WithValidCode_EchoesCodeAndClosesTcp(int code)
    {
        await using var echo = await EchoCase.OpenAsync();
        await echo.SendAsync(WireFrame.Close((ushort)code, "bye"u8));
        await echo.ExpectFailureAsync((ushort)code);
    }

    [Fact]
    public async Task Close_WithoutPayload_AnsweredWithoutCode()
    {
        await using var echo = await EchoCase.OpenAsync();
        await echo.SendAsync(WireFrame.Build(0x8, []));
        var e = await echo.Client.ReceiveAsync();
        Assert.Equal(ReceivedEventType.Close, e.Type);
        Assert.Equal(WebSocketCloseCodes.NoStatusReceived, e.CloseCode); // an empty close body, never 1005 on the wire
        Assert.Empty(e.Payload);
        await echo.ExpectTcpClosedAsync();
    }

    [Fact]
    public async Task Close_WithLongestValidReason_EchoesCode()
    {
        await using var echo = await EchoCase.OpenAsync();
        await echo.SendAsync(WireFrame.Close(1000, Encoding.UTF8.GetBytes(new string('r', 123))));
        await echo.ExpectCloseAsync(1000);
    }

    [Fact]
    public async Task Close_WithMultiByteReason_EchoesCode()
    {
        await using var echo = await EchoCase.OpenAsync();
        await echo.SendAsync(WireFrame.Close(1000, Encoding.UTF8.GetBytes("κόσμε 😀")));
        await echo.ExpectCloseAsync(1000);
    }

    [Fact]
    public async Task Close_ReasonMakingPayload126Bytes_ClosesWith1002()
    {
        await using var echo = await EchoCase.OpenAsync();
        await echo.SendAsync(WireFrame.Close(1000, new byte[124])); // 2 + 124 > 125
        await echo.ExpectCloseAsync(WebSocketCloseCodes.ProtocolError);
    }

    [Fact]
    public async Task Close_OneBytePayload_ClosesWith1002()
    {
        await using var echo = await EchoCase.OpenAsync();
        await echo.SendAsync(WireFrame.Build(0x8, [0x03])); // §5.5.1: a body starts with a 2-byte code
        await echo.ExpectFailureAsync(WebSocketCloseCodes.ProtocolError);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(999)]
    [InlineData(1004)]
    [InlineData(1005)]
    [InlineData(1006)]
    [InlineData(1015)]
    [InlineData(1016)]
    [InlineData(1100)]
    [InlineData(2000)]
    [InlineData(2999)]
    [InlineData(5000)]
    [InlineData(65535)]
    public async Task Close_WithInvalidCode_ClosesWith1002(int code)
    {
        await using var echo = await EchoCase.OpenAsync();
        await echo.SendAsync(WireFrame.Close((ushort)code));
        await echo.ExpectFailureAsync(WebSocketCloseCodes.ProtocolError);
    }

    [Fact]
    public async Task Close_ReasonInvalidUtf8_ClosesWith1007()
    {
        await using var echo = await EchoCase.OpenAsync();
        await echo.SendAsync(WireFrame.Close(1000, [0x41, 0xFF, 0x42]));
        await echo.ExpectFailureAsync(WebSocketCloseCodes.InvalidPayloadData);
    }

    [Fact]
    public async Task Close_ThenMoreDataInSameWrite_DataIgnored()
    {
        await using var echo = await EchoCase.OpenAsync();
        await echo.SendAsync(WireFrame.Close(1000), WireFrame.Build(0x1, "after close"u8), WireFrame.Build(0x9, "p"u8));
        await echo.ExpectCloseAsync(1000); // no echo and no pong between the close and the end of TCP
    }

    [Fact]
    public async Task Close_ThenDataInLaterWrite_DataIgnoredAndTcpClosed()
    {
        await using var echo = await EchoCase.OpenAsync();
        await echo.SendAsync(WireFrame.Close(1000));
        var e = await echo.Client.ReceiveAsync();
        Assert.Equal(ReceivedEventType.Close, e.Type);
        try
        {
            await echo.SendAsync(WireFrame.Build(0x1, "after close"u8));
        }
        catch (System.Net.Sockets.SocketException)
        {
            // The server may already have closed: also fine.
        }
        await echo.ExpectTcpClosedAsync();
    }

    [Fact]
    public async Task Close_AfterEchoedMessage_MessageFirstThenClose()
    {
        await using var echo = await EchoCase.OpenAsync();
        await echo.SendAsync(WireFrame.Build(0x1, "last words"u8), WireFrame.Close(1000));
        await echo.ExpectTextAsync("last words");
        await echo.ExpectCloseAsync(1000);
    }
}
