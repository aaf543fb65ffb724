using System.Net.Sockets;

namespace FastRealtime.Core.Connections;

/// <summary>The outcome of one socket operation: bytes moved, or the socket error. Resets are results, not exceptions.</summary>
public readonly record struct SocketOperationResult(int BytesTransferred, SocketError Error)
{
    public bool HasError => Error != SocketError.Success;
}
