using System.Text;
using System.Text.Json;
using FastRealtime.Transport.Json;
using FastRealtime.Transport.WebSockets;

namespace FastRealtime.Tests.Gateways;

/// <summary>The plain-WebSocket JSON envelope codec, without sockets.</summary>
public sealed class JsonEnvelopeTests
{
    private static (JsonEnvelopeStatus Status, string Event, string Data, string Id) Read(string json)
    {
        var scratch = new byte[JsonEnvelopeReader.MaxEventNameBytes];
        var status = JsonEnvelopeReader.TryRead(Encoding.UTF8.GetBytes(json), scratch, out var envelope);
        return (status, Encoding.UTF8.GetString(envelope.Event), Encoding.UTF8.GetString(envelope.Data), Encoding.UTF8.GetString(envelope.Id));
    }

    [Theory]
    [InlineData("""{"event":"chat:send","data":{"text":"hi","n":[1,2]}}""", "chat:send", """{"text":"hi","n":[1,2]}""", "")]
    [InlineData("""{ "data" : "x" , "event" : "e" }""", "e", "\"x\"", "")]
    [InlineData("""{"event":"e"}""", "e", "null", "")]
    [InlineData("""{"event":"e","id":17,"data":-1.5e3}""", "e", "-1.5e3", "17")]
    [InlineData("""{"event":"e","id":"a\"b","data":[]}""", "e", "[]", "\"a\\\"b\"")]
    [InlineData("""{"event":"e","id":null,"data":true}""", "e", "true", "")]
    [InlineData("""{"event":"\u00e9v\n","data":1}""", "év\n", "1", "")]
    [InlineData("""{"other":{"event":"nested"},"event":"outer","data":0}""", "outer", "0", "")]
    public void TryRead_ValidEnvelope_EventUnescapedDataAndIdRaw(string json, string @event, string data, string id)
    {
        var read = Read(json);
        Assert.Equal(JsonEnvelopeStatus.Ok, read.Status);
        Assert.Equal(@event, read.Event);
        Assert.Equal(data, read.Data);
        Assert.Equal(id, read.Id);
    }

    [Theory]
    [InlineData("", JsonEnvelopeStatus.Malformed)]
    [InlineData("{", JsonEnvelopeStatus.Malformed)]
    [InlineData("""{"event":"e"} {}""", JsonEnvelopeStatus.Malformed)]
    [InlineData("""{"event":"e",}""", JsonEnvelopeStatus.Malformed)]
    [InlineData("\"event\"", JsonEnvelopeStatus.NotAnObject)]
    [InlineData("[]", JsonEnvelopeStatus.NotAnObject)]
    [InlineData("""{"data":1}""", JsonEnvelopeStatus.MissingEvent)]
    [InlineData("""{"event":null}""", JsonEnvelopeStatus.BadEvent)]
    [InlineData("""{"event":{"x":1}}""", JsonEnvelopeStatus.BadEvent)]
    [InlineData("""{"event":"e","id":[1]}""", JsonEnvelopeStatus.BadId)]
    public void TryRead_BadInput_StatusSaysWhy(string json, JsonEnvelopeStatus expected) =>
        Assert.Equal(expected, Read(json).Status);

    [Fact]
    public void TryRead_EventLongerThanLimit_BadEvent()
    {
        string name = new('e', JsonEnvelopeReader.MaxEventNameBytes + 1);
        Assert.Equal(JsonEnvelopeStatus.BadEvent, Read($$"""{"event":"{{name}}"}""").Status);
        Assert.Equal(JsonEnvelopeStatus.Ok, Read($$"""{"event":"{{name[1..]}}"}""").Status);
    }

    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("quo\"te\\back", "quo\\\"te\\\\back")]
    [InlineData("tab\tnl\ncr\r\u0001", "tab\\tnl\\ncr\\r\\u0001")]
    [InlineData("ünï 😀", "ünï 😀")]
    public void JsonStringEscaper_Write_ValidJsonStringThatRoundTrips(string value, string escaped)
    {
        var buffer = new byte[JsonStringEscaper.GetEscapedLength(value)];
        Assert.Equal(buffer.Length, JsonStringEscaper.Write(buffer, value));
        Assert.Equal(escaped, Encoding.UTF8.GetString(buffer));
        Assert.Equal(value, JsonSerializer.Deserialize<string>("\"" + Encoding.UTF8.GetString(buffer) + "\""));
    }

    [Theory]
    [InlineData("", """{"event":"ev\"1","data":{"a":1}}""")]
    [InlineData("42", """{"event":"ev\"1","id":42,"data":{"a":1}}""")]
    public void Frame_Envelope_OneUnmaskedTextFrame(string id, string expectedJson)
    {
        var frame = JsonEnvelopeWriter.Frame("ev\"1", Encoding.UTF8.GetBytes(id), """{"a":1}"""u8);
        try
        {
            byte[] expected = Encoding.UTF8.GetBytes(expectedJson);
            Assert.Equal(0x81, frame.Span[0]); // FIN + text opcode
            Assert.Equal(expected.Length, frame.Span[1]); // no mask bit, 7-bit length
            Assert.Equal(expected, frame.Span[2..].ToArray());
            Assert.Equal(WebSocketFrameWriter.GetFrameSize(expected.Length, masked: false), frame.Length);
        }
        finally
        {
            frame.Release();
        }
    }

    [Fact]
    public void TryRead_WarmedUp_AllocatesNothing()
    {
        byte[] message = """{"event":"chat:send-message","id":7,"data":{"roomId":"general","text":"hello"}}"""u8.ToArray();
        Span<byte> scratch = stackalloc byte[JsonEnvelopeReader.MaxEventNameBytes];
        JsonEnvelopeReader.TryRead(message, scratch, out _);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10_000; i++) JsonEnvelopeReader.TryRead(message, scratch, out _);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
