using System.Text;
using FastRealtime.Chat.Hosting;
using FastRealtime.Transport.WebSockets;

namespace FastRealtime.Tests.Infrastructure;

/// <summary>
/// One conformance case: a fresh server and one raw client connected to its /echo, plus the assertions every case
/// needs (what came back, how the server failed the connection, and that the server still serves others after).
/// </summary>
public sealed class EchoCase : IAsyncDisposable
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    private EchoCase(TestServer server, RawWebSocketClient client)
    {
        Server = server;
        Client = client;
    }

    public TestServer Server { get; }

    public RawWebSocketClient Client { get; }

    public static async Task<EchoCase> OpenAsync(Action<ServerSettings>? configure = null)
    {
        var server = TestServer.Start(configure);
        try
        {
            return new EchoCase(server, await RawWebSocketClient.ConnectAsync(server.EndPoint));
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    public Task SendAsync(byte[] bytes) => Client.SendRawAsync(bytes);

    public Task SendAsync(params byte[][] frames) => Client.SendRawAsync(WireFrame.Concat(frames));

    /// <summary>The next event must be a message of this kind and payload.</summary>
    public async Task ExpectMessageAsync(WebSocketMessageKind kind, byte[] payload)
    {
        var e = await Client.ReceiveAsync(Bound);
        Assert.True(e.Type == ReceivedEventType.Message, $"Expected a {kind} message, got {Describe(e)}");
        Assert.Equal(kind, e.Kind);
        Assert.Equal(payload.Length, e.Payload.Length);
        Assert.True(payload.AsSpan().SequenceEqual(e.Payload), "Echoed payload differs from the one sent");
    }

    public Task ExpectTextAsync(string text) => ExpectMessageAsync(WebSocketMessageKind.Text, Encoding.UTF8.GetBytes(text));

    public async Task ExpectPongAsync(byte[] payload)
    {
        var e = await Client.ReceiveAsync(Bound);
        Assert.True(e.Type == ReceivedEventType.Pong, $"Expected a pong, got {Describe(e)}");
        Assert.Equal(payload, e.Payload);
    }

    /// <summary>
    /// The next event must be the server's close frame with <paramref name="code"/>, and the server must then close
    /// the TCP connection (RFC 6455 §7.1.1: the server closes TCP first).
    /// </summary>
    public async Task ExpectCloseAsync(ushort code)
    {
        var e = await Client.ReceiveAsync(Bound);
        Assert.True(e.Type == ReceivedEventType.Close, $"Expected close {code}, got {Describe(e)}");
        Assert.Equal(code, e.CloseCode);
        await ExpectTcpClosedAsync();
    }

    /// <summary>The server fails this connection with <paramref name="code"/> and still serves a fresh client.</summary>
    public async Task ExpectFailureAsync(ushort code)
    {
        await ExpectCloseAsync(code);
        await AssertServerStillServesAsync();
    }

    /// <summary>Nothing more arrives (no message, no pong): only the end of the TCP connection.</summary>
    public async Task ExpectTcpClosedAsync()
    {
        var e = await Client.ReceiveAsync(Bound);
        Assert.True(e.Type == ReceivedEventType.TcpClosed, $"Expected the server to close TCP, got {Describe(e)}");
    }

    /// <summary>A fresh client still gets an echo: the case did not hurt the server.</summary>
    public Task AssertServerStillServesAsync() => ServerProbe.AssertEchoesAsync(Server);

    private static string Describe(ReceivedEvent e) =>
        $"{e.Type} (kind {e.Kind}, {e.Payload.Length} bytes, code {e.CloseCode})";

    public async ValueTask DisposeAsync()
    {
        await Client.DisposeAsync();
        await Server.DisposeAsync();
    }
}
