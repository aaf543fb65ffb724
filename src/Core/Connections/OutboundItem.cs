using FastRealtime.Core.Buffers;

namespace FastRealtime.Core.Connections;

/// <summary>A slice of a shared buffer waiting in a connection's outbound queue; the queue holds one reference.</summary>
internal readonly record struct OutboundItem(SharedBuffer Buffer, int Offset, int Length);
