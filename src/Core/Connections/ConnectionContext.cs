using FastRealtime.Core.Metrics;
using FastRealtime.Core.Timing;
using Microsoft.Extensions.Logging;

namespace FastRealtime.Core.Connections;

/// <summary>
/// What every connection of one server (or client) shares: options, metrics, timer wheel, logger. One reference per
/// connection instead of four — idle memory per connection is counted in bytes.
/// </summary>
public sealed class ConnectionContext(ConnectionOptions options, ServerMetrics metrics, TimerWheel timerWheel, ILogger logger)
{
    public ConnectionOptions Options { get; } = options;

    public ServerMetrics Metrics { get; } = metrics;

    public TimerWheel TimerWheel { get; } = timerWheel;

    public ILogger Logger { get; } = logger;

    /// <summary>Called once per connection when it has ended and released its resources (the server's bookkeeping).</summary>
    public Action<Connection>? ConnectionEnded { get; init; }
}
