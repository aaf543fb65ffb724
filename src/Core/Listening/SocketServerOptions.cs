using System.Net;
using FastRealtime.Core.Connections;

namespace FastRealtime.Core.Listening;

/// <summary>Where the server listens and how many connections it takes. Every limit has a safe default.</summary>
public sealed class SocketServerOptions
{
    public IPEndPoint EndPoint { get; set; } = new(IPAddress.Loopback, 3000);

    /// <summary>Pending connections the kernel may hold before accept. Default 4096.</summary>
    public int Backlog { get; set; } = 4096;

    /// <summary>Open connections past which new ones are refused at accept. Default 1,000,000.</summary>
    public int MaxConnections { get; set; } = 1_000_000;

    /// <summary>Open connections per remote IP address past which new ones are refused. Default 0 = no limit.</summary>
    public int MaxConnectionsPerIp { get; set; }

    /// <summary>How long a graceful stop waits for connections to close before dropping them. Default 10 s.</summary>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(10);

    public ConnectionOptions Connection { get; set; } = new();

    /// <summary>Which I/O engine serves connections. Default <see cref="SocketEngine.Auto"/>.</summary>
    public SocketEngine Engine { get; set; } = SocketEngine.Auto;

    /// <summary>Event-loop threads of the epoll engine. Default 0 = one per processor.</summary>
    public int EventLoops { get; set; }
}

/// <summary>The I/O engine under the connections.</summary>
public enum SocketEngine : byte
{
    /// <summary>Epoll where supported (Linux x64), else sockets.</summary>
    Auto,

    /// <summary>Our own epoll event loops on raw descriptors: the least memory per connection and the fewest hops.</summary>
    Epoll,

    /// <summary>.NET sockets with SocketAsyncEventArgs: portable.</summary>
    Sockets,
}
