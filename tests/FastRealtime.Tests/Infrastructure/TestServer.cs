using System.Net;
using FastRealtime.Chat.Hosting;
using FastRealtime.Transport.Server;

namespace FastRealtime.Tests.Infrastructure;

/// <summary>A real FastRealtime server in the test process, on a free loopback port.</summary>
public sealed class TestServer : IAsyncDisposable
{
    private TestServer(FastRealtimeServer server) => Server = server;

    public FastRealtimeServer Server { get; }

    public IPEndPoint EndPoint => Server.LocalEndPoint;

    public int Port => EndPoint.Port;

    public Uri WebSocketUri(string path = "/echo") => new($"ws://127.0.0.1:{Port}{path}");

    public Uri HttpUri(string path = "/") => new($"http://127.0.0.1:{Port}{path}");

    public static TestServer Start(Action<ServerSettings>? configure = null, Action<EndpointRouter>? mapEndpoints = null)
    {
        var settings = new ServerSettings { Host = "127.0.0.1", Port = 0, ShutdownTimeout = TimeSpan.FromSeconds(5) };
        // FASTREALTIME_TEST_ENGINE=Sockets runs the whole suite on the portable engine instead of epoll.
        if (Enum.TryParse<FastRealtime.Core.Listening.SocketEngine>(Environment.GetEnvironmentVariable("FASTREALTIME_TEST_ENGINE"), out var engine))
            settings.Engine = engine;
        configure?.Invoke(settings);
        var server = new FastRealtimeServer(settings, mapEndpoints: mapEndpoints);
        server.Start();
        return new TestServer(server);
    }

    public ValueTask DisposeAsync() => Server.DisposeAsync();
}
