using System.Net.Sockets;
using System.Text;
using FastRealtime.Tests.Infrastructure;
using FastRealtime.Transport.WebSockets;

namespace FastRealtime.Tests.Conformance;

/// <summary>
/// A peer that half-closes (sends its FIN first, e.g. Node's ws after the close handshake, or an HTTP client that
/// shuts down its sending side after the request) must still get every byte queued for it, then the server's FIN:
/// the server always closes its socket (RFC 6455 §7.1.1), whoever finished first.
/// </summary>
public sealed class TcpHalfCloseTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Http_ClientHalfClosesAfterRequest_ResponseSentThenServerClosesTcp()
    {
        await using var server = TestServer.Start();
        using var socket = await RawWebSocketClient.ConnectTcpAsync(server.EndPoint);
        await socket.SendAsync("GET /health HTTP/1.1\r\nHost: x\r\n\r\n"u8.ToArray(), SocketFlags.None);
        socket.Shutdown(SocketShutdown.Send);

        string received = await ReadUntilServerClosesAsync(socket);
        Assert.StartsWith("HTTP/1.1 200", received);
    }

    [Fact]
    public async Task WebSocket_ClientSendsCloseThenHalfCloses_CloseEchoedThenServerClosesTcp()
    {
        await using var echo = await EchoCase.OpenAsync();
        await echo.SendAsync(WireFrame.Close(WebSocketCloseCodes.NormalClosure));
        echo.Client.Socket.Shutdown(SocketShutdown.Send);
        await echo.ExpectCloseAsync(WebSocketCloseCodes.NormalClosure);
    }

    [Fact]
    public async Task WebSocket_ClientHalfClosesAfterMessageWithoutClose_EchoSentThenServerClosesTcp()
    {
        await using var echo = await EchoCase.OpenAsync();
        await echo.SendAsync(WireFrame.Build(0x1, "last"u8));
        echo.Client.Socket.Shutdown(SocketShutdown.Send);
        var e = await echo.Client.ReceiveAsync(Bound);
        if (e.Type == ReceivedEventType.Message) Assert.Equal("last", e.Text); // the echo may race the FIN; nothing else may come
        else Assert.Equal(ReceivedEventType.TcpClosed, e.Type);
        Assert.True(await echo.Client.WaitForTcpCloseAsync(Bound), "The server never closed a connection whose peer half-closed");
        await echo.AssertServerStillServesAsync();
    }

    [Fact]
    public async Task WebSocket_ClientHalfClosesRightAfterUpgrade_ServerClosesTcp()
    {
        await using var echo = await EchoCase.OpenAsync();
        echo.Client.Socket.Shutdown(SocketShutdown.Send);
        Assert.True(await echo.Client.WaitForTcpCloseAsync(Bound), "The server never closed a connection whose peer half-closed");
    }

    private static async Task<string> ReadUntilServerClosesAsync(Socket socket)
    {
        using var cts = new CancellationTokenSource(Bound);
        var received = new StringBuilder();
        var buffer = new byte[4096];
        try
        {
            int read;
            while ((read = await socket.ReceiveAsync(buffer, SocketFlags.None, cts.Token)) > 0)
                received.Append(Encoding.ASCII.GetString(buffer, 0, read));
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"The server never closed the connection after the client half-closed; received so far: {received}");
        }
        return received.ToString();
    }
}
