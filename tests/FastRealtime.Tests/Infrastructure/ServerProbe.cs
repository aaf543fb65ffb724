using System.Net;
using System.Text;
using FastRealtime.Transport.WebSockets;

namespace FastRealtime.Tests.Infrastructure;

/// <summary>Proves a server is still healthy: a fresh client connects, gets an echo and closes cleanly.</summary>
public static class ServerProbe
{
    public static Task AssertEchoesAsync(TestServer server) => AssertEchoesAsync(server.EndPoint);

    public static async Task AssertEchoesAsync(IPEndPoint endPoint)
    {
        await using var client = await RawWebSocketClient.ConnectAsync(endPoint);
        await AssertEchoesAsync(client, "probe " + Guid.NewGuid().ToString("N"));
        await client.SendCloseAsync(WebSocketCloseCodes.NormalClosure);
        Assert.Equal(WebSocketCloseCodes.NormalClosure, await client.ReceiveCloseAsync());
    }

    /// <summary>Sends one text message on an open client and asserts the very next event is its echo.</summary>
    public static async Task AssertEchoesAsync(RawWebSocketClient client, string text)
    {
        await client.SendTextAsync(text);
        var echo = await client.ReceiveAsync();
        Assert.Equal(ReceivedEventType.Message, echo.Type);
        Assert.Equal(WebSocketMessageKind.Text, echo.Kind);
        Assert.Equal(text, Encoding.UTF8.GetString(echo.Payload));
    }
}
