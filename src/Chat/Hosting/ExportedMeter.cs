using System.Diagnostics.Metrics;

namespace FastRealtime.Chat.Hosting;

/// <summary>
/// A meter whose instruments the server's /metrics exports besides its own (register it in the server's container).
/// Per instance, not per name: several servers in one process each export only their own meters.
/// </summary>
public sealed record ExportedMeter(Meter Meter);
