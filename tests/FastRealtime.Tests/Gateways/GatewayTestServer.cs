using FastRealtime.Chat.Gateways;
using FastRealtime.Chat.Hosting;
using FastRealtime.Chat.SocketIO;
using FastRealtime.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace FastRealtime.Tests.Gateways;

/// <summary>
/// A real server with <see cref="TestGateway"/> at /test (and the demo gateway at /), on loopback: on plain WebSocket
/// at ws://…/test and on Socket.IO (namespace "/test" at /socket.io/), one gateway for both.
/// </summary>
public sealed class GatewayTestServer : IAsyncDisposable
{
    private GatewayTestServer(TestServer server, ServiceProvider services, SocketIoServer io)
    {
        Server = server;
        Services = services;
        Io = io;
        Namespace = services.GetRequiredService<GatewayServer>().Of("test");
        Gateway = services.GetRequiredService<TestGateway>();
    }

    public TestServer Server { get; }
    public ServiceProvider Services { get; }
    public GatewayNamespace Namespace { get; }
    public TestGateway Gateway { get; }
    public SocketIoServer Io { get; }

    /// <summary>The http:// base a socket.io-client connects to (append the namespace).</summary>
    public string BaseUrl => $"http://127.0.0.1:{Server.Port}";

    /// <param name="services">More registrations before the container is built (scale-out, for instance).</param>
    public static GatewayTestServer Start(Action<GatewayOptions>? gateways = null, Action<ServerSettings>? settings = null,
        Action<IServiceCollection>? services = null)
    {
        var collection = new ServiceCollection().AddGateways(gateways).AddGateway<TestGateway>();
        services?.Invoke(collection);
        return Start(collection.BuildServiceProvider(), settings);
    }

    private static GatewayTestServer Start(ServiceProvider services, Action<ServerSettings>? settings)
    {
        var gatewayServer = services.GetRequiredService<GatewayServer>();
        var io = new SocketIoServer();
        gatewayServer.MapSocketIo(io);
        var server = TestServer.Start(settings, router =>
        {
            gatewayServer.MapWebSockets(router);
            io.Map(router);
        });
        return new GatewayTestServer(server, services, io);
    }

    public Task<JsonWsClient> ConnectAsync(string? user = null, string path = "/test") =>
        JsonWsClient.ConnectAsync(Server.EndPoint, user is null ? path : $"{path}?user={user}");

    /// <summary>Waits (bounded) until the server saw every disconnect: no client, room or user left.</summary>
    public async Task WaitForEmptyAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (Namespace.ClientCount == 0 && Namespace.Rooms.RoomCount == 0 && Namespace.Users.UserCount == 0
                && Gateway.Connects == Gateway.Disconnects)
                return;
            await Task.Delay(20);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Io.Engine.CloseAll();
        await Server.DisposeAsync();
        await Services.DisposeAsync();
    }
}
