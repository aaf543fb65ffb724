using System.Text.Json;
using FastRealtime.Tests.Infrastructure;

namespace FastRealtime.Tests.Interop;

/// <summary>
/// The `ws` npm client (tests/interop/ws-client.mjs) against /echo: echo of every kind, fragments sent by ws,
/// ping/pong, close codes — and ws validates every frame we send (an `error` event fails the case).
/// </summary>
public sealed class NodeWsClientInteropTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    [Theory]
    [InlineData("text")]
    [InlineData("binary")]
    [InlineData("large")]
    [InlineData("empty")]
    [InlineData("fragmented")]
    [InlineData("ordered")]
    [InlineData("ping")]
    [InlineData("close-code")]
    [InlineData("close-invalid-utf8")]
    [InlineData("close-too-big")]
    public async Task WsClient_Case_Passes(string name)
    {
        await using var server = TestServer.Start();
        var result = await NodeRunner.RunAsync("ws-client.mjs", [server.WebSocketUri().ToString(), name], Bound);
        Assert.True(result.ExitCode == 0, result.ToString());
        using var report = JsonDocument.Parse(result.StandardOutput);
        Assert.Equal(name, report.RootElement.GetProperty("case").GetString());
        Assert.True(report.RootElement.GetProperty("ok").GetBoolean(), result.ToString());
        await ServerProbe.AssertEchoesAsync(server);
    }
}
