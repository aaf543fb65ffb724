using System.Text.Json;
using FastRealtime.Transport.SocketIO;

namespace FastRealtime.Chat.SocketIO;

/// <summary>
/// One event received from a client: its name, its arguments as raw JSON slices, its binary attachments and its ack
/// id. Views into the receive buffer, valid only during <see cref="ISocketIoNamespace.OnEvent"/>.
/// </summary>
public readonly ref struct SocketIoEvent
{
    internal SocketIoEvent(ReadOnlySpan<byte> data, long ackId, ReadOnlyMemory<byte>[] attachments)
    {
        Data = data;
        AckId = ackId;
        AttachmentArray = attachments;
    }

    /// <summary>The whole JSON array <c>["name", arg, ...]</c>; binary arguments are <c>{"_placeholder":true,"num":N}</c>.</summary>
    public ReadOnlySpan<byte> Data { get; }

    /// <summary>The ack id the client waits on, or -1.</summary>
    public long AckId { get; }

    public bool WantsAck => AckId >= 0;

    /// <summary>The binary attachments, indexed by the placeholders' "num".</summary>
    public ReadOnlySpan<ReadOnlyMemory<byte>> Attachments => AttachmentArray;

    /// <summary>The attachments as the owned array the router built (outlives the call; empty when none).</summary>
    internal ReadOnlyMemory<byte>[] AttachmentArray { get; }

    /// <summary>The arguments after the name.</summary>
    public SocketIoArguments Arguments => new(Data, skip: 1);

    /// <summary>Compares the name without allocating (escapes in the JSON are honoured).</summary>
    public bool NameIs(ReadOnlySpan<byte> utf8Name)
    {
        var reader = NameReader();
        return reader.ValueTextEquals(utf8Name);
    }

    public bool NameIs(string name)
    {
        var reader = NameReader();
        return reader.ValueTextEquals(name);
    }

    /// <summary>The name as a string (allocates).</summary>
    public string GetName()
    {
        var reader = NameReader();
        return reader.GetString()!;
    }

    private Utf8JsonReader NameReader()
    {
        var reader = new Utf8JsonReader(Data);
        reader.Read(); // [
        reader.Read(); // "name" (the parser checked it is a string)
        return reader;
    }

    /// <summary>A copy that outlives the call, for handlers that go async.</summary>
    public SocketIoEventData ToOwned()
    {
        var attachments = new byte[Attachments.Length][];
        for (int i = 0; i < attachments.Length; i++) attachments[i] = Attachments[i].ToArray();
        return new SocketIoEventData(GetName(), JsonDocument.Parse(Data.ToArray()).RootElement, AckId, attachments);
    }
}

/// <summary>An owned copy of a <see cref="SocketIoEvent"/>: <paramref name="Data"/> is the whole array, name first.</summary>
public sealed record SocketIoEventData(string Name, JsonElement Data, long AckId, byte[][] Attachments)
{
    /// <summary>The arguments after the name.</summary>
    public IEnumerable<JsonElement> Arguments => Data.EnumerateArray().Skip(1);
}
