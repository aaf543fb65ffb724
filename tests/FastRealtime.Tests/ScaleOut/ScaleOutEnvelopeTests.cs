using System.Text;
using FastRealtime.Chat.Gateways;
using FastRealtime.Chat.ScaleOut;

namespace FastRealtime.Tests.ScaleOut;

/// <summary>The envelope's byte layout (docs/SCALE-OUT.md), which emitters in other languages write.</summary>
public sealed class ScaleOutEnvelopeTests
{
    private static readonly byte[] s_roomsExceptSender =
    [
        0x01,                               // version 1
        0x01,                               // target: rooms
        0x01,                               // flags: bit 0 volatile
        0x00, 0x01, (byte)'A',              // origin node "A"
        0x00, 0x02, (byte)'/', (byte)'t',   // namespace "/t"
        0x00, 0x01, (byte)'e',              // event "e"
        0x00, 0x02,                         // 2 rooms
        0x00, 0x01, (byte)'r',              //   "r"
        0x00, 0x01, (byte)'s',              //   "s"
        0x00, 0x01,                         // 1 except-room
        0x00, 0x01, (byte)'m',              //   "m"
        0x00, 0x01, (byte)'7',              // except-client "7"
        0x00, 0x00,                         // user id: none
        (byte)'4', (byte)'2',               // data: the JSON 42
    ];

    [Fact]
    public void Encode_RoomsExceptRoomAndSender_TheDocumentedBytes()
    {
        var emission = new GatewayRelayedEmission("/t", GatewayRelayTarget.Rooms, ["r", "s"], ["m"], "7", null, "e", "42"u8, isVolatile: true);

        Assert.Equal(s_roomsExceptSender, ScaleOutEnvelope.Encode("A", emission));
    }

    [Fact]
    public void TryDecode_DocumentedBytes_EveryField()
    {
        Assert.True(ScaleOutEnvelope.TryDecode(s_roomsExceptSender, out var decoded));

        Assert.Equal("A", decoded.OriginNode);
        Assert.Equal("/t", decoded.Namespace);
        Assert.Equal(GatewayRelayTarget.Rooms, decoded.Target);
        Assert.Equal(["r", "s"], decoded.Rooms);
        Assert.Equal(["m"], decoded.ExceptRooms);
        Assert.Equal("7", decoded.ExceptClientId);
        Assert.Null(decoded.UserId);
        Assert.Equal("e", decoded.Event);
        Assert.Equal("42", Encoding.UTF8.GetString(decoded.DataJson.Span));
        Assert.True(decoded.IsVolatile);
    }

    [Fact]
    public void EncodeThenDecode_UserTargetWithUnicodeNames_SameEmission()
    {
        var emission = new GatewayRelayedEmission("/chat", GatewayRelayTarget.User, [], [], null, "zoë-日本", "chat:notification",
            """{"text":"héllo"}"""u8, isVolatile: false);

        Assert.True(ScaleOutEnvelope.TryDecode(ScaleOutEnvelope.Encode("node-1", emission)!, out var decoded));

        Assert.Equal(GatewayRelayTarget.User, decoded.Target);
        Assert.Equal("zoë-日本", decoded.UserId);
        Assert.Empty(decoded.Rooms);
        Assert.Null(decoded.ExceptClientId);
        Assert.False(decoded.IsVolatile);
        Assert.Equal("""{"text":"héllo"}""", Encoding.UTF8.GetString(decoded.DataJson.Span));
    }

    [Fact]
    public void TryDecode_CutAnywhereInTheHeader_False()
    {
        int header = s_roomsExceptSender.Length - 2; // everything before the data
        for (int length = 0; length < header; length++)
            Assert.False(ScaleOutEnvelope.TryDecode(s_roomsExceptSender[..length], out _), $"decoded {length} bytes");
    }

    [Theory]
    [InlineData(0, 2)]  // version 2
    [InlineData(1, 3)]  // target 3
    [InlineData(2, 2)]  // an unknown flag
    public void TryDecode_UnknownVersionTargetOrFlag_False(int offset, byte value)
    {
        var message = (byte[])s_roomsExceptSender.Clone();
        message[offset] = value;

        Assert.False(ScaleOutEnvelope.TryDecode(message, out _));
    }

    [Fact]
    public void IsFrom_OriginNodeId_WithoutDecoding()
    {
        Assert.True(ScaleOutEnvelope.IsFrom(s_roomsExceptSender, "A"u8));
        Assert.False(ScaleOutEnvelope.IsFrom(s_roomsExceptSender, "B"u8));
        Assert.False(ScaleOutEnvelope.IsFrom(s_roomsExceptSender, "AB"u8));
        Assert.False(ScaleOutEnvelope.IsFrom(s_roomsExceptSender[..4], "A"u8));
    }

    [Fact]
    public void Encode_NameLongerThanTheLengthField_Null()
    {
        var emission = new GatewayRelayedEmission("/t", GatewayRelayTarget.Rooms, [new string('r', 70_000)], [], null, null, "e", "1"u8, false);

        Assert.Null(ScaleOutEnvelope.Encode("A", emission));
    }
}
