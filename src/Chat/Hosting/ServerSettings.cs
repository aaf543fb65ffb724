using FastRealtime.Core.Connections;
using FastRealtime.Core.Listening;

namespace FastRealtime.Chat.Hosting;

/// <summary>
/// The server's settings, bound from the "Server" section of configuration (appsettings.json, environment
/// variables FASTREALTIME_Server__Port and the like, then the command line). Every limit has a safe default.
/// </summary>
public sealed class ServerSettings
{
    public const string SectionName = "Server";

    public string Host { get; set; } = "127.0.0.1";
    public int Port { get; set; } = 3000;

    /// <summary>I/O engine: Auto (epoll on Linux x64, else sockets), Epoll, or Sockets.</summary>
    public SocketEngine Engine { get; set; } = SocketEngine.Auto;

    /// <summary>Epoll event-loop threads; 0 = one per processor.</summary>
    public int EventLoops { get; set; }

    public int MaxConnections { get; set; } = 1_000_000;
    public int MaxConnectionsPerIp { get; set; }

    public int MaxMessageSize { get; set; } = 1024 * 1024;
    public int MaxFrameSize { get; set; } = 1024 * 1024;

    public int MaxRequestHeadBytes { get; set; } = 8 * 1024;
    public int MaxHeaderCount { get; set; } = 100;
    public int MaxBodyBytes { get; set; } = 1_000_000;
    public TimeSpan HeaderTimeout { get; set; } = TimeSpan.FromSeconds(10);
    public TimeSpan KeepAliveTimeout { get; set; } = TimeSpan.FromSeconds(10);

    public TimeSpan PingInterval { get; set; } = TimeSpan.FromSeconds(30);
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromSeconds(75);
    public TimeSpan CloseTimeout { get; set; } = TimeSpan.FromSeconds(5);
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(10);

    public long MaxOutboundBytes { get; set; } = 4 * 1024 * 1024;
    public OverflowPolicy OverflowPolicy { get; set; } = OverflowPolicy.Close;
    public long MaxReceiveBufferBytes { get; set; } = 256 * 1024;

    /// <summary>How often the server checks whether a finished burst left memory to give back (0 turns it off). Default 5 s.</summary>
    public TimeSpan IdleTrimInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Browser origins allowed to open WebSockets; empty allows any.</summary>
    public string[] AllowedOrigins { get; set; } = [];
}
