using System.Text;
using FastRealtime.Tests.Infrastructure;
using FastRealtime.Transport.WebSockets;

namespace FastRealtime.Tests.Conformance;

/// <summary>
/// RFC 6455 §5.6 and §8.1 (Autobahn 6.x): text must be valid UTF-8 over the whole message, fragments included;
/// invalid text fails with 1007 as soon as the bytes seen so far cannot begin valid UTF-8 (fail fast).
/// </summary>
public sealed class Utf8ConformanceTests
{
    // "κόσμε" (Greek, 2-byte), "€" (3-byte), "😀" (4-byte, a surrogate pair in UTF-16), U+10FFFF (the last code point).
    private const string MultiByte = "κόσμε €100 😀 \U0010FFFF end";

    [Fact]
    public async Task Text_ValidMultiByte_EchoedExactly()
    {
        await using var echo = await EchoCase.OpenAsync();
        await echo.SendAsync(WireFrame.Build(0x1, Encoding.UTF8.GetBytes(MultiByte)));
        await echo.ExpectTextAsync(MultiByte);
    }

    [Fact]
    public async Task Text_ValidMultiByteSplitAtEveryByteIntoTwoFragments_EchoedExactly()
    {
        await using var echo = await EchoCase.OpenAsync();
        var payload = Encoding.UTF8.GetBytes("a😀€é");
        for (int split = 0; split <= payload.Length; split++)
        {
            await echo.SendAsync(
                WireFrame.Build(0x1, payload.AsSpan(0, split), fin: false),
                WireFrame.Build(0x0, payload.AsSpan(split)));
            await echo.ExpectMessageAsync(WebSocketMessageKind.Text, payload);
        }
    }

    [Fact]
    public async Task Text_ValidMultiByteOneByteFragments_EchoedExactly()
    {
        await using var echo = await EchoCase.OpenAsync();
        var payload = Encoding.UTF8.GetBytes(MultiByte);
        await echo.SendAsync(FragmentationConformanceTests.Fragments(0x1, payload, payload.Length));
        await echo.ExpectTextAsync(MultiByte);
    }

    [Theory]
    [InlineData("ff")]             // never valid
    [InlineData("80")]             // lone continuation byte
    [InlineData("c0 80")]          // overlong NUL
    [InlineData("e0 80 af")]       // overlong '/'
    [InlineData("ed a0 80")]       // UTF-16 surrogate U+D800
    [InlineData("f4 90 80 80")]    // above U+10FFFF
    [InlineData("ce ba e1")]       // truncated at the end of the message
    [InlineData("41 f8 88 80 80 80")] // 5-byte form
    public async Task Text_InvalidUtf8_ClosesWith1007(string hex)
    {
        await using var echo = await EchoCase.OpenAsync();
        await echo.SendAsync(WireFrame.Build(0x1, Convert.FromHexString(hex.Replace(" ", ""))));
        await echo.ExpectFailureAsync(WebSocketCloseCodes.InvalidPayloadData);
    }

    [Fact]
    public async Task Text_InvalidSequenceSplitAcrossFragments_ClosesWith1007()
    {
        await using var echo = await EchoCase.OpenAsync();
        // 0xCE starts a 2-byte character; the next fragment's 'A' is not a continuation byte.
        await echo.SendAsync(WireFrame.Build(0x1, [0x41, 0xCE], fin: false), WireFrame.Build(0x0, [0x41]));
        await echo.ExpectCloseAsync(WebSocketCloseCodes.InvalidPayloadData);
    }

    [Fact]
    public async Task Text_TruncatedCharacterAtEndOfLastFragment_ClosesWith1007()
    {
        await using var echo = await EchoCase.OpenAsync();
        await echo.SendAsync(WireFrame.Build(0x1, "ok"u8, fin: false), WireFrame.Build(0x0, [0xF0, 0x9F, 0x98]));
        await echo.ExpectCloseAsync(WebSocketCloseCodes.InvalidPayloadData);
    }

    [Theory]
    [InlineData("41 ff")]        // invalid inside the first fragment
    [InlineData("f4 90")]        // a prefix no continuation can make valid
    [InlineData("ed a0")]        // a surrogate prefix
    public async Task Text_InvalidInFirstFragment_ClosesWith1007BeforeFinalFragmentIsSent(string hex)
    {
        await using var echo = await EchoCase.OpenAsync();
        await echo.SendAsync(WireFrame.Build(0x1, Convert.FromHexString(hex.Replace(" ", "")), fin: false));
        // Fail fast (§8.1): the close must come now — the final fragment is never sent.
        await echo.ExpectCloseAsync(WebSocketCloseCodes.InvalidPayloadData);
    }

    [Fact]
    public async Task Text_InvalidInMiddleFragment_ClosesWith1007BeforeFinalFragmentIsSent()
    {
        await using var echo = await EchoCase.OpenAsync();
        await echo.SendAsync(WireFrame.Build(0x1, "valid "u8, fin: false), WireFrame.Build(0x0, [0xCE], fin: false));
        await echo.SendAsync(WireFrame.Build(0x0, [0x20], fin: false)); // space is not a continuation byte
        await echo.ExpectCloseAsync(WebSocketCloseCodes.InvalidPayloadData);
    }

    [Fact]
    public async Task Binary_InvalidUtf8Bytes_EchoedUnchecked()
    {
        await using var echo = await EchoCase.OpenAsync();
        byte[] payload = [0xFF, 0xC0, 0x80, 0xED, 0xA0, 0x80];
        await echo.SendAsync(WireFrame.Build(0x2, payload));
        await echo.ExpectMessageAsync(WebSocketMessageKind.Binary, payload);
    }
}
