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
}
