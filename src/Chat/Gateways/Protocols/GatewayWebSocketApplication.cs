using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization;
using FastRealtime.Transport.Http;
using FastRealtime.Transport.Json;
using FastRealtime.Transport.Server;
using FastRealtime.Transport.WebSockets;

namespace FastRealtime.Chat.Gateways.Protocols;

/// <summary>
/// Serves one namespace on plain WebSocket: each text message is a JSON envelope <c>{"event","data","id"?}</c>
/// dispatched to the namespace's handlers; binary messages and malformed JSON answer <c>exception</c>.
/// </summary>
/// <remarks>
/// Runs on each session's receive path (one call at a time per session); a handler that goes asynchronous makes
/// the client's later messages wait in its own queue (see <see cref="GatewayClient"/>), never the receive loop.
/// </remarks>
internal sealed class GatewayWebSocketApplication(GatewayNamespace @namespace) : IWebSocketApplication, IGatewayInbound
{
    /// <summary>The namespace's <see cref="IGatewayHandshakeGuard"/>s refuse before the upgrade: HTTP status + <c>{"message"}</c>.</summary>
    public HttpResponse? AuthorizeUpgrade(HttpRequestHead request)
    {
        foreach (var guard in @namespace.HandshakeGuards)
        {
            if (guard.Authorize(request) is { } refusal)
            {
                var response = HttpResponse.Json(refusal.StatusCode, JsonSerializer.Serialize(new MessageBody(refusal.Message), RefusalJson.Default.MessageBody));
                return refusal.Challenge is null ? response : response with { Headers = [new("WWW-Authenticate", refusal.Challenge)] };
            }
        }
        return null;
    }

    public void OnOpen(WebSocketSession session, HttpRequestHead request)
    {
        var client = @namespace.CreateClient(new WebSocketGatewayTransport(session), session.Id);
        client.AttachInbound(this);
        session.State = client;
        client.RunInOrder(@namespace.Connect(client, request));
    }

    public void OnMessage(WebSocketSession session, WebSocketMessageKind kind, in ReadOnlySequence<byte> payload)
    {
        var client = (GatewayClient)session.State!;
        bool isBinary = kind == WebSocketMessageKind.Binary;
        if (payload.IsSingleSegment)
        {
            client.Deliver(payload.FirstSpan, isBinary);
            return;
        }
        int length = checked((int)payload.Length);
        byte[] copy = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            payload.CopyTo(copy);
            client.Deliver(copy.AsSpan(0, length), isBinary);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(copy);
        }
    }

    public void OnClose(WebSocketSession session, ushort code)
    {
        if (session.State is GatewayClient client) @namespace.OnTransportClosed(client);
    }

    ValueTask IGatewayInbound.ProcessMessage(GatewayClient client, ReadOnlySpan<byte> message, bool isBinary, InboundExtras extras)
    {
        if (isBinary)
        {
            GatewayExceptionReply.Send(client, null, default, default, "Binary frames are not supported yet: send the JSON envelope as text");
            return default;
        }
        Span<byte> eventScratch = stackalloc byte[JsonEnvelopeReader.MaxEventNameBytes];
        var status = JsonEnvelopeReader.TryRead(message, eventScratch, out var envelope);
        if (status != JsonEnvelopeStatus.Ok)
        {
            GatewayExceptionReply.Send(client, null, default, default, Describe(status));
            return default;
        }
        return @namespace.Dispatcher.Dispatch(client, envelope.Event, envelope.Data, envelope.Id);
    }

    private static string Describe(JsonEnvelopeStatus status) => status switch
    {
        JsonEnvelopeStatus.Malformed => "Malformed JSON: expected {\"event\": name, \"data\": payload}",
        JsonEnvelopeStatus.NotAnObject => "Expected a JSON object {\"event\": name, \"data\": payload}",
        JsonEnvelopeStatus.MissingEvent => "Missing \"event\"",
        JsonEnvelopeStatus.BadEvent => $"\"event\" must be a string of at most {JsonEnvelopeReader.MaxEventNameBytes} bytes",
        _ => "\"id\" must be a number or a string",
    };
}

/// <summary>The body of a refused upgrade: <c>{"message": ...}</c>, like Socket.IO's CONNECT_ERROR.</summary>
internal sealed record MessageBody([property: JsonPropertyName("message")] string Message);

[JsonSerializable(typeof(MessageBody))]
internal sealed partial class RefusalJson : JsonSerializerContext;
