namespace FastRealtime.Core.Connections;

/// <summary>Why a connection ended; recorded once, by whoever ends it first.</summary>
public enum ConnectionEndReason : byte
{
    None,
    RemoteClosed,
    RemoteReset,
    LocalClosed,
    ProtocolError,
    Timeout,
    OutboundOverflow,
    ServerShutdown,
    ApplicationError,
    LimitExceeded,
}
