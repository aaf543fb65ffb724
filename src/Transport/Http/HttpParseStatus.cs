namespace FastRealtime.Transport.Http;

/// <summary>Outcome of one parse attempt over the bytes received so far.</summary>
public enum HttpParseStatus : byte
{
    /// <summary>The head is not complete yet and no limit is exceeded: read more and call again with all the bytes.</summary>
    Incomplete,

    /// <summary>A head was parsed and consumed from the buffer.</summary>
    Complete,

    /// <summary>The head is malformed or exceeds a limit; answer with the reported status and close.</summary>
    Error,
}
