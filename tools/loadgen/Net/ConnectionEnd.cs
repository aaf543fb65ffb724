namespace FastRealtime.LoadGen.Net;

/// <summary>Why a connection's receive loop ended; recorded once, the first reason wins.</summary>
public enum ConnectionEnd
{
    None,
    /// <summary>We closed it (end of run).</summary>
    Local,
    /// <summary>The server sent a close frame.</summary>
    ServerClose,
    /// <summary>The TCP stream ended or was reset without a close frame.</summary>
    Reset,
    /// <summary>The server sent something the frame reader rejected.</summary>
    ProtocolError,
}
