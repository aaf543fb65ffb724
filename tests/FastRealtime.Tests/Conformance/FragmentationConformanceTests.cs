using FastRealtime.Tests.Infrastructure;
using FastRealtime.Transport.WebSockets;

namespace FastRealtime.Tests.Conformance;

/// <summary>RFC 6455 §5.4 (Autobahn 5.x): fragments reassemble into one message; broken sequences fail with 1002.</summary>
public sealed class FragmentationConformanceTests
{
    [Theory]
    [InlineData(2)]
    [InlineData(10)]
    [InlineData(300)]
    public async Task Text_SplitIntoFragments_EchoedAsOneMessage(int fragments)
    {
        await using var echo = await EchoCase.OpenAsync();
        var payload = FramingConformanceTests.TextPayload(3000);
        await echo.SendAsync(Fragments(0x1, payload, fragments));
        await echo.ExpectMessageAsync(WebSocketMessageKind.Text, payload);
        await echo.AssertServerStillServesAsync();
    }

    [Fact]
    public async Task Binary_SplitIntoFragmentsLargerThanOneFrame_EchoedAsOneMessage()
    {
        await using var echo = await EchoCase.OpenAsync();
        var payload = FramingConformanceTests.BinaryPayload(200_000);
        await echo.SendAsync(Fragments(0x2, payload, 4));
        await echo.ExpectMessageAsync(WebSocketMessageKind.Binary, payload);
    }

    [Fact]
    public async Task Text_FragmentsSentInSeparateWrites_EchoedAsOneMessage()
    {
        await using var echo = await EchoCase.OpenAsync();
        await echo.SendAsync(WireFrame.Build(0x1, "one "u8, fin: false));
        await echo.SendAsync(WireFrame.Build(0x0, "two "u8, fin: false));
        await echo.SendAsync(WireFrame.Build(0x0, "three"u8));
        await echo.ExpectTextAsync("one two three");
    }

    [Fact]
    public async Task Text_EmptyFragmentsAroundData_EchoedAsOneMessage()
    {
        await using var echo = await EchoCase.OpenAsync();
        await echo.SendAsync(
            WireFrame.Build(0x1, [], fin: false),
            WireFrame.Build(0x0, "data"u8, fin: false),
            WireFrame.Build(0x0, [], fin: false),
            WireFrame.Build(0x0, []));
        await echo.ExpectTextAsync("data");
    }

    [Fact]
    public async Task Text_AllFragmentsEmpty_EchoedAsEmptyMessage()
    {
        await using var echo = await EchoCase.OpenAsync();
        await echo.SendAsync(WireFrame.Build(0x1, [], fin: false), WireFrame.Build(0x0, [], fin: false), WireFrame.Build(0x0, []));
        await echo.ExpectTextAsync("");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Continuation_WithoutStartingFrame_ClosesWith1002(bool fin)
    {
        await using var echo = await EchoCase.OpenAsync();
        await echo.SendAsync(WireFrame.Build(0x0, "orphan"u8, fin));
        await echo.ExpectFailureAsync(WebSocketCloseCodes.ProtocolError);
    }

    [Fact]
    public async Task Continuation_AfterCompletedMessage_ClosesWith1002()
    {
        await using var echo = await EchoCase.OpenAsync();
        await echo.SendAsync(WireFrame.Build(0x1, "done"u8), WireFrame.Build(0x0, "late"u8));
        await echo.ExpectTextAsync("done");
        await echo.ExpectCloseAsync(WebSocketCloseCodes.ProtocolError);
    }

    [Theory]
    [InlineData(0x1)]
    [InlineData(0x2)]
    public async Task DataFrame_StartedInsideAnUnfinishedMessage_ClosesWith1002(int secondOpcode)
    {
        await using var echo = await EchoCase.OpenAsync();
        await echo.SendAsync(WireFrame.Build(0x1, "first "u8, fin: false), WireFrame.Build(secondOpcode, "second"u8));
        await echo.ExpectFailureAsync(WebSocketCloseCodes.ProtocolError);
    }

    [Fact]
    public async Task Close_BetweenFragments_EchoedAndUnfinishedMessageDropped()
    {
        await using var echo = await EchoCase.OpenAsync();
        await echo.SendAsync(WireFrame.Build(0x1, "never "u8, fin: false), WireFrame.Close(WebSocketCloseCodes.NormalClosure));
        await echo.ExpectCloseAsync(WebSocketCloseCodes.NormalClosure);
    }

    /// <summary>The payload as <paramref name="count"/> frames: the first with <paramref name="opcode"/>, then continuations, FIN on the last.</summary>
    public static byte[] Fragments(int opcode, byte[] payload, int count)
    {
        var frames = new byte[count][];
        int size = (payload.Length + count - 1) / count;
        for (int i = 0; i < count; i++)
        {
            int start = Math.Min(i * size, payload.Length);
            int end = Math.Min(start + size, payload.Length);
            frames[i] = WireFrame.Build(i == 0 ? opcode : 0x0, payload.AsSpan(start, end - start), fin: i == count - 1);
        }
        return WireFrame.Concat(frames);
    }
}
