using FastRealtime.Tests.Infrastructure;
using FastRealtime.Transport.WebSockets;

namespace FastRealtime.Tests.Conformance;

/// <summary>
/// RFC 6455 §5.2 (Autobahn 3.x and 4.x): with no extension negotiated, any RSV bit and any reserved opcode fail the
/// connection with 1002 — also right after a valid message, which must still be echoed first.
/// </summary>
public sealed class ReservedBitsAndOpcodesConformanceTests
{
    [Theory]
    [InlineData(0x1, 1)] // RSV3 on text
    [InlineData(0x1, 2)] // RSV2
    [InlineData(0x1, 4)] // RSV1 (permessage-deflate's bit, not negotiated here)
    [InlineData(0x1, 7)]
    [InlineData(0x2, 3)] // binary
    [InlineData(0x2, 5)]
    [InlineData(0x9, 6)] // ping
    [InlineData(0x8, 4)] // close
    [InlineData(0xA, 2)] // pong
    public async Task Frame_ReservedBitsSet_ClosesWith1002(int opcode, int rsv)
    {
        await using var echo = await EchoCase.OpenAsync();
        byte[] payload = opcode == 0x8 ? [0x03, 0xE8] : "Hello"u8.ToArray();
        await echo.SendAsync(WireFrame.Build(0x1, "valid"u8), WireFrame.Build(opcode, payload, rsv: rsv));
        await echo.ExpectTextAsync("valid");
        await echo.ExpectFailureAsync(WebSocketCloseCodes.ProtocolError);
    }

    [Theory]
    [InlineData(0x3)]
    [InlineData(0x4)]
    [InlineData(0x5)]
    [InlineData(0x6)]
    [InlineData(0x7)]
    [InlineData(0xB)]
    [InlineData(0xC)]
    [InlineData(0xD)]
    [InlineData(0xE)]
    [InlineData(0xF)]
    public async Task Frame_ReservedOpcode_ClosesWith1002(int opcode)
    {
        await using var echo = await EchoCase.OpenAsync();
        await echo.SendAsync(WireFrame.Build(opcode, "reserved"u8));
        await echo.ExpectFailureAsync(WebSocketCloseCodes.ProtocolError);
    }

    [Theory]
    [InlineData(0x3)]
    [InlineData(0xB)]
    public async Task Frame_ReservedOpcodeAfterValidMessage_EchoesThenClosesWith1002(int opcode)
    {
        await using var echo = await EchoCase.OpenAsync();
        await echo.SendAsync(WireFrame.Build(0x1, "first"u8), WireFrame.Build(opcode, []), WireFrame.Build(0x9, []));
        await echo.ExpectTextAsync("first");
        await echo.ExpectCloseAsync(WebSocketCloseCodes.ProtocolError); // and no pong for the ping after the error
    }

    [Fact]
    public async Task Frame_UnmaskedFromClient_ClosesWith1002()
    {
        await using var echo = await EchoCase.OpenAsync();
        await echo.SendAsync(WireFrame.Build(0x1, "bare"u8, masked: false)); // §5.1: clients MUST mask
        await echo.ExpectFailureAsync(WebSocketCloseCodes.ProtocolError);
    }
}
