using FastRealtime.Chat.SocketIO;
using FastRealtime.Tests.Infrastructure;
using FastRealtime.Transport.EngineIO;

namespace FastRealtime.Tests.SocketIO;

/// <summary>A FastRealtime server whose /socket.io/ serves the test namespaces with the given Engine.IO options.</summary>
internal sealed class SocketIoTestServer : IAsyncDisposable
{
    private SocketIoTestServer(TestServer server, SocketIoServer io, TestNamespace test)
    {
        Server = server;
        Io = io;
        Test = test;
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
        io.AddNamespace("/", new DemoGatewayNamespace());
        io.AddNamespace("/test", test);
        io.AddNamespace("/private", new PrivateNamespace());
        io.AddNamespace("/chat", new SeedChatNamespace());
        io.AddNamespace("/notifications", new SeedNotificationsNamespace());
        var server = TestServer.Start(mapEndpoints: router => io.Map(router));
        return new SocketIoTestServer(server, io, test);
    }

    public async ValueTask DisposeAsync()
    {
        Io.Engine.CloseAll();
        await Server.DisposeAsync();
    }
}
