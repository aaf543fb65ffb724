using System.Net;
using System.Net.WebSockets;
using System.Text;
using FastRealtime.Tests.Infrastructure;

namespace FastRealtime.Tests.Server;

/// <summary>The host's plain endpoints and the echo path, through real sockets and clients nobody here wrote.</summary>
public sealed class HostEndpointsTests
{
    [Fact]
    public async Task Health_Get_Returns200()
    {
        await using var server = TestServer.Start();
        using var http = new HttpClient();
        var response = await http.GetAsync(server.HttpUri("/health"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task UnknownPath_Get_Returns404()
    {
        await using var server = TestServer.Start();
        using var http = new HttpClient();
        var response = await http.GetAsync(server.HttpUri("/nope"));
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Echo_PlainGetWithoutUpgrade_Returns426()
    {
        await using var server = TestServer.Start();
        using var http = new HttpClient();
        var response = await http.GetAsync(server.HttpUri("/echo"));
        Assert.Equal((HttpStatusCode)426, response.StatusCode);
    }

    [Fact]
    public async Task Metrics_AfterEchoTraffic_ExposesPrometheusCounters()
    {
        await using var server = TestServer.Start();
        using (var client = new ClientWebSocket())
        {
            await client.ConnectAsync(server.WebSocketUri(), CancellationToken.None);
            await client.SendAsync("hello"u8.ToArray(), WebSocketMessageType.Text, true, CancellationToken.None);
            var buffer = new byte[16];
            await client.ReceiveAsync(buffer, CancellationToken.None);
            await client.CloseAsync(WebSocketCloseStatus.NormalClosure, "", CancellationToken.None);
        }
        using var http = new HttpClient();
        string text = await http.GetStringAsync(server.HttpUri("/metrics"));
        Assert.Contains("# TYPE fastrealtime_connections_accepted_total counter", text);
        Assert.Matches(@"fastrealtime_messages_received_total [1-9]", text);
        Assert.Matches(@"fastrealtime_frames_received_total [2-9]", text); // the message and the close frame
        Assert.Contains("fastrealtime_closes_total{code=\"1000\"} 1", text);
    }

    [Fact]
    public async Task Echo_ClientWebSocket_TextAndBinaryComeBackAsSent()
    {
        await using var server = TestServer.Start();
        using var client = new ClientWebSocket();
        await client.ConnectAsync(server.WebSocketUri(), CancellationToken.None);
        var buffer = new byte[4096];

        await client.SendAsync(Encoding.UTF8.GetBytes("héllo"), WebSocketMessageType.Text, true, CancellationToken.None);
        var text = await client.ReceiveAsync(buffer, CancellationToken.None);
        Assert.Equal(WebSocketMessageType.Text, text.MessageType);
        Assert.Equal("héllo", Encoding.UTF8.GetString(buffer, 0, text.Count));

        byte[] binary = [0, 1, 2, 255];
        await client.SendAsync(binary, WebSocketMessageType.Binary, true, CancellationToken.None);
        var received = await client.ReceiveAsync(buffer, CancellationToken.None);
        Assert.Equal(WebSocketMessageType.Binary, received.MessageType);
        Assert.Equal(binary, buffer[..received.Count]);

        await client.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", CancellationToken.None);
        Assert.Equal(WebSocketCloseStatus.NormalClosure, client.CloseStatus);
    }

    [Fact]
    public async Task Echo_ClientWebSocket_LargeFragmentedMessageIsEchoedWhole()
    {
        await using var server = TestServer.Start();
        using var client = new ClientWebSocket();
        await client.ConnectAsync(server.WebSocketUri(), CancellationToken.None);
        var payload = new byte[900_000];
        Random.Shared.NextBytes(payload);
        for (int offset = 0; offset < payload.Length; offset += 100_000)
            await client.SendAsync(payload.AsMemory(offset, 100_000), WebSocketMessageType.Binary, offset + 100_000 == payload.Length, CancellationToken.None);

        var received = new MemoryStream();
        var buffer = new byte[64 * 1024];
        ValueWebSocketReceiveResult result;
        do
        {
            result = await client.ReceiveAsync(buffer.AsMemory(), CancellationToken.None);
            received.Write(buffer, 0, result.Count);
        } while (!result.EndOfMessage);
        Assert.Equal(payload, received.ToArray());
    }
}
