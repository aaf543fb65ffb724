using System.Net;

namespace FastRealtime.LoadGen.Net;

/// <summary>The outcome of one connection attempt: a connection, or the kind of failure (a stable short name).</summary>
public readonly record struct ConnectOutcome(IClientConnection? Connection, string? ErrorKind, long HandshakeTicks);

/// <summary>Where and how a run's connections connect: the resolved server, the Host header, the time a connect and
/// handshake may take together, and the largest message accepted from the server.</summary>
public sealed record ClientTarget(IPEndPoint Remote, string HostHeader, TimeSpan ConnectTimeout, int MaxMessageSize);

/// <summary>Opens client WebSocket connections to one target: TCP connect, then the RFC 6455 opening handshake.</summary>
public interface IClientConnector
{
    /// <summary>Connects (from <paramref name="localAddress"/> when given) and upgrades; failures are outcomes, not exceptions.</summary>
    Task<ConnectOutcome> ConnectAsync(string pathAndQuery, IPAddress? localAddress, CancellationToken ct);
}
