using FastRealtime.Chat.Demo;
using FastRealtime.Chat.Gateways;
using FastRealtime.Chat.SocketIO;
using FastRealtime.Tests.Infrastructure;
using FastRealtime.Transport.EngineIO;
using Microsoft.Extensions.DependencyInjection;

namespace FastRealtime.Tests.SocketIO;

/// <summary>
/// A FastRealtime server whose /socket.io/ serves the test namespaces with the given Engine.IO options, and the seed 001
/// demo gateway (the real <see cref="DemoGateway"/>) on "/".
/// </summary>
internal sealed class SocketIoTestServer : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    private SocketIoTestServer(TestServer server, SocketIoServer io, TestNamespace test, ServiceProvider services)
    {
        Server = server;
        Io = io;
        Test = test;
        _services = services;
    }

    public TestServer Server { get; }

    public SocketIoServer Io { get; }

    public TestNamespace Test { get; }

    public string BaseUrl => $"http://127.0.0.1:{Server.Port}";

    public static SocketIoTestServer Start(Action<EngineIoOptions>? configure = null)
    {
        var options = new SocketIoServerOptions();
        configure?.Invoke(options.EngineIo);
        var io = new SocketIoServer(options);
        var test = new TestNamespace();
        var services = new ServiceCollection().AddLogging().AddDemoGateway().BuildServiceProvider();
        services.GetRequiredService<GatewayServer>().MapSocketIo(io);
        io.AddNamespace("/test", test);
        io.AddNamespace("/private", new PrivateNamespace());
        io.AddNamespace("/chat", new SeedChatNamespace());
        io.AddNamespace("/notifications", new SeedNotificationsNamespace());
        var server = TestServer.Start(mapEndpoints: router => io.Map(router));
        return new SocketIoTestServer(server, io, test, services);
    }

    public async ValueTask DisposeAsync()
    {
        Io.Engine.CloseAll();
        await Server.DisposeAsync();
        await _services.DisposeAsync();
    }
}
