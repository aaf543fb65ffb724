using System.Globalization;
using System.Text.Json;
using FastRealtime.Chat.Gateways.Serialization;
using Microsoft.Extensions.Logging;

namespace FastRealtime.Chat.Gateways;

/// <summary>
/// The exception filter: every failure of a request answers the sender with the <c>exception</c> event,
/// <c>{"status":"error","message":…,"cause":{"pattern":event,"data":request data},"timestamp":ISO-8601}</c>
/// (the NestJS BaseWsExceptionFilter shape plus a timestamp), and the connection stays open.
/// </summary>
/// <remarks>
/// <see cref="WsException"/> messages are the client's to read; any other exception is logged and answered
/// "Internal server error", so no detail of the server leaks. When the request carried an ack id, the
/// <c>exception</c> event carries it too, so the client can match the failure to its request.
/// </remarks>
internal static class GatewayExceptionReply
{
    public const string EventName = "exception";
    public const string InternalError = "Internal server error";

    public static void Send(GatewayClient client, string? pattern, ReadOnlySpan<byte> ackId, ReadOnlySpan<byte> data, Exception exception)
    {
        string message;
        if (exception is WsException user)
        {
            message = user.Message;
        }
        else
        {
            message = InternalError;
            client.Namespace.Logger.LogError(exception, "Handler for '{Event}' failed on {Client}", pattern, client);
        }
        Send(client, pattern, ackId, data, message);
    }

    public static void Send(GatewayClient client, string? pattern, ReadOnlySpan<byte> ackId, ReadOnlySpan<byte> data, string message)
    {
        var scratch = JsonScratch.Rent(client.Namespace.Json.WriterOptions);
        try
        {
            WritePayload(scratch.Writer, pattern, data, message);
            client.SendOwned(client.WireFormat.EncodeEvent(client.Namespace.Name, EventName, ackId, scratch.WrittenSpan));
        }
        finally
        {
            scratch.Return();
        }
    }

    private static void WritePayload(Utf8JsonWriter writer, string? pattern, ReadOnlySpan<byte> data, string message)
    {
        writer.WriteStartObject();
        writer.WriteString("status"u8, "error"u8);
        writer.WriteString("message"u8, message);
        writer.WriteStartObject("cause"u8);
        if (pattern is null) writer.WriteNull("pattern"u8);
        else writer.WriteString("pattern"u8, pattern);
        writer.WritePropertyName("data"u8);
        // The request's data as it arrived (already checked by the envelope reader).
        if (data.IsEmpty) writer.WriteNullValue();
        else writer.WriteRawValue(data, skipInputValidation: true);
        writer.WriteEndObject();
        Span<char> timestamp = stackalloc char[24];
        DateTime.UtcNow.TryFormat(timestamp, out int written, "yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
        writer.WriteString("timestamp"u8, timestamp[..written]);
        writer.WriteEndObject();
        writer.Flush();
    }
}
