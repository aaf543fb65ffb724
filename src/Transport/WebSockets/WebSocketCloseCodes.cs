namespace FastRealtime.Transport.WebSockets;

/// <summary>Close status codes of RFC 6455 §7.4.1 and the rule for which of them may appear on the wire.</summary>
public static class WebSocketCloseCodes
{
    public const ushort NormalClosure = 1000;
    public const ushort GoingAway = 1001;
    public const ushort ProtocolError = 1002;
    public const ushort UnsupportedData = 1003;
    /// <summary>Never sent: reported locally when a close frame carried no status code.</summary>
    public const ushort NoStatusReceived = 1005;
    /// <summary>Never sent: reported locally when the connection ended without a close frame.</summary>
    public const ushort AbnormalClosure = 1006;
    public const ushort InvalidPayloadData = 1007;
    public const ushort PolicyViolation = 1008;
    public const ushort MessageTooBig = 1009;
    public const ushort MandatoryExtension = 1010;
    public const ushort InternalServerError = 1011;

    /// <summary>
    /// True when <paramref name="code"/> may appear in a close frame (RFC 6455 §7.4): 1000-1003, 1007-1011,
    /// 1012-1014 (registered later by IANA; accepted as the ws library does), 3000-3999 (registered) and
    /// 4000-4999 (private use). 1004, 1005, 1006 and 1015 are reserved or local-only, and the rest of 0-2999
    /// and everything from 5000 up is undefined.
    /// </summary>
    public static bool IsValidReceived(ushort code) =>
        code is >= 1000 and <= 1003 or >= 1007 and <= 1014 or >= 3000 and <= 4999;
}
