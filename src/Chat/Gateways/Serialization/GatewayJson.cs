using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace FastRealtime.Chat.Gateways.Serialization;

/// <summary>The serializer settings of one gateway server: payloads in, replies and emits out.</summary>
internal sealed class GatewayJson
{
    public GatewayJson(JsonSerializerOptions options)
    {
        Options = options;
        if (!options.IsReadOnly)
        {
            options.TypeInfoResolver ??= new DefaultJsonTypeInfoResolver();
            options.MakeReadOnly();
        }
        // The writer never re-validates what the serializer produces; escaping follows the serializer's encoder.
        WriterOptions = new JsonWriterOptions { Encoder = options.Encoder, SkipValidation = true };
    }

    public JsonSerializerOptions Options { get; }

    public JsonWriterOptions WriterOptions { get; }

    public JsonTypeInfo<T> TypeInfo<T>() => (JsonTypeInfo<T>)Options.GetTypeInfo(typeof(T));

    /// <summary>Serializes into a per-thread scratch buffer; call <see cref="JsonScratch.Return"/> when done with the bytes.</summary>
    public JsonScratch Serialize<T>(T value, JsonTypeInfo<T> typeInfo)
    {
        var scratch = JsonScratch.Rent(WriterOptions);
        try
        {
            JsonSerializer.Serialize(scratch.Writer, value, typeInfo);
            scratch.Writer.Flush();
            return scratch;
        }
        catch
        {
            scratch.Return();
            throw;
        }
    }
}
