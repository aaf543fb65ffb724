using FastRealtime.Chat.Auth;
using FastRealtime.Chat.ChatApp;
using FastRealtime.Chat.Gateways;
using FastRealtime.Chat.SocketIO;
using FastRealtime.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace FastRealtime.Tests.Auth;

/// <summary>A namespace "/secure" that only JWT holders reach.</summary>
[Gateway(Namespace = "secure")]
[UseGuards(typeof(JwtConnectionGuard))]
public sealed class SecureGateway : IOnGatewayConnection
{
    public int Connects;

    public ValueTask HandleConnection(GatewayClient client)
    {
        Interlocked.Increment(ref Connects);
        return ValueTask.CompletedTask;
    }

    [SubscribeMessage("whoami")]
    public object WhoAmI(GatewayClient client) => new { userId = client.UserId, name = client.User?.Identity?.Name };
}

/// <summary>
/// A real server on loopback composed like the host: <see cref="AuthServiceCollectionExtensions.AddChatAuth"/>, the
/// guarded <see cref="SecureGateway"/> on plain WebSocket (/secure) and Socket.IO, and POST /api/dev/token.
/// </summary>
public sealed class AuthTestServer : IAsyncDisposable
{
    private AuthTestServer(TestServer server, ServiceProvider services, SocketIoServer io)
    {
        Server = server;
        Services = services;
        Io = io;
    }

    public TestServer Server { get; }
    public ServiceProvider Services { get; }
    public SocketIoServer Io { get; }
    public JwtTokenService Tokens => Services.GetRequiredService<JwtTokenService>();
    public SecureGateway Gateway => Services.GetRequiredService<SecureGateway>();
    public string BaseUrl => $"http://127.0.0.1:{Server.Port}";

    public static AuthTestServer Start(ChatSettings settings)
    {
        var services = new ServiceCollection().AddChatAuth(settings).AddGateway<SecureGateway>().BuildServiceProvider();
        var tokens = services.GetRequiredService<JwtTokenService>(); // reads or creates the secret now, as a host would
        var gateways = services.GetRequiredService<GatewayServer>();
        var io = new SocketIoServer();
        gateways.MapSocketIo(io);
        var server = TestServer.Start(mapEndpoints: router =>
        {
            gateways.MapWebSockets(router);
            io.Map(router);
            router.MapDevTokenEndpoint(tokens);
        });
        return new AuthTestServer(server, services, io);
    }

    public async ValueTask DisposeAsync()
    {
        Io.Engine.CloseAll();
        await Server.DisposeAsync();
        await Services.DisposeAsync();
    }
}
