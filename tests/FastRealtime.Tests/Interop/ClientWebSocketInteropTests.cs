using System.Net.WebSockets;
using System.Text;
using FastRealtime.Tests.Infrastructure;

namespace FastRealtime.Tests.Interop;

/// <summary>.NET's System.Net.WebSockets.ClientWebSocket (a peer nobody here wrote) against /echo.</summary>
public sealed class ClientWebSocketInteropTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task ClientWebSocket_Text_EchoedAsText()
    {
        await using var server = TestServer.Start();
        using var client = await ConnectAsync(server);
        await client.SendAsync(Encoding.UTF8.GetBytes("héllo 😀"), WebSocketMessageType.Text, true, Timeout());
        var (type, payload) = await ReceiveMessageAsync(client);
        Assert.Equal(WebSocketMessageType.Text, type);
        Assert.Equal("héllo 😀", Encoding.UTF8.GetString(payload));
    }

    [Fact]
    public async Task ClientWebSocket_Binary_EchoedAsBinary()
    {
        await using var server = TestServer.Start();
        using var client = await ConnectAsync(server);
        byte[] sent = [0, 1, 127, 128, 254, 255];
        await client.SendAsync(sent, WebSocketMessageType.Binary, true, Timeout());
        var (type, payload) = await ReceiveMessageAsync(client);
        Assert.Equal(WebSocketMessageType.Binary, type);
        Assert.Equal(sent, payload);
    }

    [Fact]
    public async Task ClientWebSocket_OneMebibyteMessage_EchoedWhole()
    {
        await using var server = TestServer.Start();
        using var client = await ConnectAsync(server);
        var sent = new byte[1024 * 1024];
        new Random(1).NextBytes(sent);
        await client.SendAsync(sent, WebSocketMessageType.Binary, true, Timeout());
        var (_, payload) = await ReceiveMessageAsync(client);
        Assert.Equal(sent, payload);
    }

    [Fact]
    public async Task ClientWebSocket_CloseWithCodeAndReason_ServerEchoesCode()
    {
        await using var server = TestServer.Start();
        using var client = await ConnectAsync(server);
        await client.CloseAsync((WebSocketCloseStatus)4000, "going home", Timeout());
        Assert.Equal(WebSocketState.Closed, client.State);
        Assert.Equal((WebSocketCloseStatus)4000, client.CloseStatus);
    }

    [Fact]
    public async Task ClientWebSocket_InvalidUtf8Text_ServerClosesWith1007()
    {
        await using var server = TestServer.Start();
        using var client = await ConnectAsync(server);
        await client.SendAsync(new byte[] { 0x48, 0xFF }, WebSocketMessageType.Text, true, Timeout()); // ClientWebSocket does not validate
        var result = await client.ReceiveAsync(new byte[16], Timeout());
        Assert.Equal(WebSocketMessageType.Close, result.MessageType);
        Assert.Equal(WebSocketCloseStatus.InvalidPayloadData, client.CloseStatus);
    }

    [Fact]
    public async Task ClientWebSocket_ServerPingsPastIdleTimeout_AnsweredAutomaticallyAndConnectionKept()
    {
        await using var server = TestServer.Start(s =>
        {
            // Wide enough that a loaded 2-core test run still lets ClientWebSocket answer in time.
            s.PingInterval = TimeSpan.FromMilliseconds(200);
            s.IdleTimeout = TimeSpan.FromMilliseconds(3000);
        });
        using var client = new ClientWebSocket();
        client.Options.KeepAliveInterval = TimeSpan.Zero; // no pings of its own: only its answers to ours keep it alive
        await client.ConnectAsync(server.WebSocketUri(), Timeout());
        var buffer = new byte[64];
        var pending = client.ReceiveAsync(buffer, CancellationToken.None); // ClientWebSocket answers pings while receiving

        // The signal that the idle timeout has passed: a raw client connected later, which never answers pings,
        // is pinged and then dropped by the server.
        await using (var silent = await RawWebSocketClient.ConnectAsync(server.EndPoint))
        {
            bool pinged = false;
            ReceivedEvent e;
            while ((e = await silent.ReceiveAsync(Bound)).Type == ReceivedEventType.Ping) pinged = true;
            Assert.True(pinged, $"The server never pinged an idle client; first event {e.Type} {e.CloseCode}");
            Assert.Equal(ReceivedEventType.TcpClosed, e.Type);
        }

        Assert.Equal(WebSocketState.Open, client.State);
        await client.SendAsync("still here"u8.ToArray(), WebSocketMessageType.Text, true, Timeout());
        var result = await pending.WaitAsync(Bound);
        Assert.Equal("still here", Encoding.UTF8.GetString(buffer, 0, result.Count));
    }

    private static async Task<ClientWebSocket> ConnectAsync(TestServer server)
    {
        var client = new ClientWebSocket();
        await client.ConnectAsync(server.WebSocketUri(), Timeout());
        return client;
    }

    private static async Task<(WebSocketMessageType Type, byte[] Payload)> ReceiveMessageAsync(ClientWebSocket client)
    {
        var received = new MemoryStream();
        var buffer = new byte[64 * 1024];
        WebSocketReceiveResult result;
        do
        {
            result = await client.ReceiveAsync(buffer, Timeout());
            received.Write(buffer, 0, result.Count);
        } while (!result.EndOfMessage);
        return (result.MessageType, received.ToArray());
    }

    private static CancellationToken Timeout() => new CancellationTokenSource(Bound).Token;
}
