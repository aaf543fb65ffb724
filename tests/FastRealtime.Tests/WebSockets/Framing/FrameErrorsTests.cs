using FastRealtime.Transport.WebSockets;

namespace FastRealtime.Tests.WebSockets.Framing;

public class FrameErrorsTests
{
    [Fact]
    public void ToCloseCode_EveryError_IsProtocolErrorInvalidDataOrTooBig()
    {
        foreach (FrameError error in Enum.GetValues<FrameError>().Where(e => e != FrameError.None))
        {
            Assert.Contains(error.ToCloseCode(), new ushort[] { 1002, 1007, 1009 });
        }
    }

    [Fact]
    public void ToMessage_EveryError_IsKnownAndDistinct()
    {
        string[] messages = Enum.GetValues<FrameError>().Select(e => e.ToMessage()).ToArray();
        Assert.DoesNotContain("unknown frame error", messages);
        Assert.All(messages, m => Assert.False(string.IsNullOrWhiteSpace(m)));
        Assert.Equal(messages.Length, messages.Distinct().Count());
    }

    [Theory]
    [InlineData(FrameError.ReservedBitsSet, 1002)]
    [InlineData(FrameError.MaskRequired, 1002)]
    [InlineData(FrameError.InvalidCloseCode, 1002)]
    [InlineData(FrameError.InvalidUtf8, 1007)]
    [InlineData(FrameError.InvalidCloseReason, 1007)]
    [InlineData(FrameError.MessageTooBig, 1009)]
    [InlineData(FrameError.FrameTooBig, 1009)]
    [InlineData(FrameError.TooManyFragments, 1009)]
    public void ToCloseCode_Error_IsTheRfcCode(FrameError error, ushort code) => Assert.Equal(code, error.ToCloseCode());

    [Theory]
    [InlineData(1000, true)]
    [InlineData(1003, true)]
    [InlineData(1007, true)]
    [InlineData(1011, true)]
    [InlineData(1012, true)]
    [InlineData(1014, true)]
    [InlineData(3000, true)]
    [InlineData(4999, true)]
    [InlineData(0, false)]
    [InlineData(999, false)]
    [InlineData(1004, false)]
    [InlineData(1005, false)]
    [InlineData(1006, false)]
    [InlineData(1015, false)]
    [InlineData(1016, false)]
    [InlineData(2999, false)]
    [InlineData(5000, false)]
    [InlineData(65535, false)]
    public void IsValidReceived_Code_FollowsRfc6455Section7_4(ushort code, bool valid) =>
        Assert.Equal(valid, WebSocketCloseCodes.IsValidReceived(code));
}
