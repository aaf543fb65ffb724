using System.Buffers.Binary;
using System.Text;
using FastRealtime.Chat.Gateways;

namespace FastRealtime.Chat.ScaleOut;

/// <summary>
/// The binary envelope of one relayed emission, as published on <c>{prefix}:emit:{namespace}</c> (docs/SCALE-OUT.md):
/// <code>
/// u8  version (1)
/// u8  target: 0 everyone, 1 rooms, 2 user
/// u8  flags: bit 0 volatile; other bits 0
/// str origin node id
/// str namespace ("/chat")
/// str event
/// u16 room count, then that many str
/// u16 except-room count, then that many str
/// str except-client id ("" = none; a client of the origin node)
/// str user id (target 2; "" otherwise)
/// ... the rest: the event's data as UTF-8 JSON
/// </code>
/// str = u16 big-endian byte length + UTF-8 bytes. Encoded once per emission into one exactly sized array.
/// </summary>
public static class ScaleOutEnvelope
{
    public const byte Version = 1;
    private const int FixedHeader = 3;

    /// <summary>The envelope, or null when a name is longer than 65,535 UTF-8 bytes or there are more than 65,535 rooms.</summary>
    public static byte[]? Encode(string originNode, scoped in GatewayRelayedEmission emission)
    {
        int length = FixedHeader + StringSize(originNode) + StringSize(emission.Namespace) + StringSize(emission.Event)
            + ListSize(emission.Rooms) + ListSize(emission.ExceptRooms) + StringSize(emission.ExceptClientId) + StringSize(emission.UserId)
            + emission.DataJson.Length;
        if (length < 0 || !FitsU16(emission.Rooms.Length) || !FitsU16(emission.ExceptRooms.Length)) return null;
        var message = new byte[length];
        message[0] = Version;
        message[1] = (byte)emission.Target;
        message[2] = emission.IsVolatile ? (byte)1 : (byte)0;
        int at = FixedHeader;
        if (!WriteString(message, ref at, originNode) || !WriteString(message, ref at, emission.Namespace)
            || !WriteString(message, ref at, emission.Event) || !WriteList(message, ref at, emission.Rooms)
            || !WriteList(message, ref at, emission.ExceptRooms) || !WriteString(message, ref at, emission.ExceptClientId)
            || !WriteString(message, ref at, emission.UserId))
            return null;
        emission.DataJson.CopyTo(message.AsSpan(at));
        return message;
    }

    /// <summary>True when <paramref name="message"/> was published by the node whose id is <paramref name="nodeIdUtf8"/> (read without decoding).</summary>
    public static bool IsFrom(ReadOnlySpan<byte> message, ReadOnlySpan<byte> nodeIdUtf8)
    {
        if (message.Length < FixedHeader + 2) return false;
        int length = BinaryPrimitives.ReadUInt16BigEndian(message[FixedHeader..]);
        return message.Length >= FixedHeader + 2 + length && message.Slice(FixedHeader + 2, length).SequenceEqual(nodeIdUtf8);
    }

    /// <summary>Decodes an envelope; false (nothing thrown) for another version or a malformed one.</summary>
    public static bool TryDecode(byte[] message, out ScaleOutMessage decoded)
    {
        decoded = default!;
        if (message.Length < FixedHeader || message[0] != Version || message[1] > (byte)GatewayRelayTarget.User || (message[2] & ~1) != 0)
            return false;
        int at = FixedHeader;
        if (!TryReadString(message, ref at, out var origin) || !TryReadString(message, ref at, out var @namespace)
            || !TryReadString(message, ref at, out var @event) || !TryReadList(message, ref at, out var rooms)
            || !TryReadList(message, ref at, out var exceptRooms) || !TryReadString(message, ref at, out var exceptClient)
            || !TryReadString(message, ref at, out var user))
            return false;
        var target = (GatewayRelayTarget)message[1];
        if (@namespace.Length == 0 || @event.Length == 0 || (target == GatewayRelayTarget.Rooms && rooms.Length == 0)
            || (target == GatewayRelayTarget.User && user.Length == 0))
            return false;
        decoded = new ScaleOutMessage(origin, @namespace, target, rooms, exceptRooms, exceptClient.Length == 0 ? null : exceptClient,
            target == GatewayRelayTarget.User ? user : null, @event, message.AsMemory(at), (message[2] & 1) != 0);
        return true;
    }

    private static bool FitsU16(int value) => (uint)value <= ushort.MaxValue;

    private static int StringSize(string? value) => 2 + (value is null ? 0 : Encoding.UTF8.GetByteCount(value));

    private static int ListSize(ReadOnlySpan<string> values)
    {
        int size = 2;
        foreach (var value in values) size += StringSize(value);
        return size;
    }

    private static bool WriteString(byte[] message, ref int at, string? value)
    {
        int length = value is null ? 0 : Encoding.UTF8.GetBytes(value, message.AsSpan(at + 2));
        if (!FitsU16(length)) return false;
        BinaryPrimitives.WriteUInt16BigEndian(message.AsSpan(at), (ushort)length);
        at += 2 + length;
        return true;
    }

    private static bool WriteList(byte[] message, ref int at, ReadOnlySpan<string> values)
    {
        BinaryPrimitives.WriteUInt16BigEndian(message.AsSpan(at), (ushort)values.Length);
        at += 2;
        foreach (var value in values)
            if (!WriteString(message, ref at, value)) return false;
        return true;
    }

    private static bool TryReadString(byte[] message, ref int at, out string value)
    {
        value = "";
        if (message.Length - at < 2) return false;
        int length = BinaryPrimitives.ReadUInt16BigEndian(message.AsSpan(at));
        if (message.Length - at - 2 < length) return false;
        value = length == 0 ? "" : Encoding.UTF8.GetString(message, at + 2, length);
        at += 2 + length;
        return true;
    }

    private static bool TryReadList(byte[] message, ref int at, out string[] values)
    {
        values = [];
        if (message.Length - at < 2) return false;
        int count = BinaryPrimitives.ReadUInt16BigEndian(message.AsSpan(at));
        at += 2;
        if (count > (message.Length - at) / 2) return false; // each needs at least its length prefix
        values = new string[count];
        for (int i = 0; i < count; i++)
            if (!TryReadString(message, ref at, out values[i])) return false;
        return true;
    }
}

/// <summary>A decoded envelope (see <see cref="ScaleOutEnvelope"/>).</summary>
public sealed record ScaleOutMessage(string OriginNode, string Namespace, GatewayRelayTarget Target, string[] Rooms, string[] ExceptRooms,
    string? ExceptClientId, string? UserId, string Event, ReadOnlyMemory<byte> DataJson, bool IsVolatile)
{
    public GatewayRelayedEmission ToEmission() =>
        new(Namespace, Target, Rooms, ExceptRooms, ExceptClientId, UserId, Event, DataJson.Span, IsVolatile);
}
