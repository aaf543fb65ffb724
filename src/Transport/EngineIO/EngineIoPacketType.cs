namespace FastRealtime.Transport.EngineIO;

/// <summary>Engine.IO v4 packet types; on the wire each is its ASCII digit (engine.io-protocol v4, "Packet").</summary>
public enum EngineIoPacketType : byte
{
    Open = 0,
    Close = 1,
    Ping = 2,
    Pong = 3,
    Message = 4,
    Upgrade = 5,
    Noop = 6,
}

/// <summary>Wire constants shared by the Engine.IO encoder and decoder.</summary>
public static class EngineIoWire
{
    /// <summary>Separates packets in a long-polling payload (engine.io-protocol v4: ASCII record separator).</summary>
    public const byte RecordSeparator = 0x1e;

    /// <summary>Prefix of a base64-encoded binary packet in a long-polling payload.</summary>
    public const byte BinaryPrefix = (byte)'b';

    public static byte ToByte(this EngineIoPacketType type) => (byte)('0' + (byte)type);

    /// <summary>Maps a packet's first byte to its type; false for anything but '0'..'6'.</summary>
    public static bool TryGetType(byte first, out EngineIoPacketType type)
    {
        type = (EngineIoPacketType)(first - '0');
        return first >= '0' && first <= '6';
    }
}
