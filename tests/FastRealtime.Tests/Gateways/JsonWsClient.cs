using System.Net;
using System.Text;
using System.Text.Json;
using FastRealtime.Tests.Infrastructure;

namespace FastRealtime.Tests.Gateways;

/// <summary>A test client speaking the plain-WebSocket JSON envelope over a real socket.</summary>
public sealed class JsonWsClient : IAsyncDisposable
{
    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web);
    private int _nextId;

    private JsonWsClient(RawWebSocketClient raw) => Raw = raw;

    public RawWebSocketClient Raw { get; }

    public static async Task<JsonWsClient> ConnectAsync(IPEndPoint endPoint, string path) =>
        new(await RawWebSocketClient.ConnectAsync(endPoint, path));

    public Task SendAsync(string @event, object? data) =>
        Raw.SendTextAsync(JsonSerializer.Serialize(new { @event, data }, s_json));

    public Task SendTextAsync(string text) => Raw.SendTextAsync(text);

    /// <summary>Sends with a fresh ack id and returns it.</summary>
    public async Task<int> SendWithIdAsync(string @event, object? data)
    {
        int id = Interlocked.Increment(ref _nextId);
        await Raw.SendTextAsync(JsonSerializer.Serialize(new { @event, id, data }, s_json));
        return id;
    }

    /// <summary>Sends with an ack id and returns the ack's data (fails on anything else first).</summary>
    public async Task<JsonElement> RequestAsync(string @event, object? data)
    {
        int id = await SendWithIdAsync(@event, data);
        var reply = await ReceiveAsync();
        Assert.True(reply.TryGetProperty("id", out var replyId) && replyId.GetInt32() == id, $"expected the ack of {@event}#{id}, got {reply}");
        return reply.GetProperty("data");
    }

    /// <summary>The next text message, parsed.</summary>
    public async Task<JsonElement> ReceiveAsync()
    {
        var received = await Raw.ReceiveAsync(TimeSpan.FromSeconds(10));
        Assert.True(received.Type == ReceivedEventType.Message, $"expected a message, got {received.Type}");
        Assert.Equal(Transport.WebSockets.WebSocketMessageKind.Text, received.Kind);
        using var document = JsonDocument.Parse(received.Payload);
        return document.RootElement.Clone();
    }

    public async Task<string> ReceiveTextAsync()
    {
        var received = await Raw.ReceiveAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(ReceivedEventType.Message, received.Type);
        return Encoding.UTF8.GetString(received.Payload);
    }

    /// <summary>
    /// Proves nothing else was queued for this client: a probe round trip's ack must be the very next message
    /// (anything emitted to us before the probe would be queued ahead of its ack).
    /// </summary>
    public async Task AssertNothingPendingAsync()
    {
        var data = await RequestAsync("probe", null);
        Assert.Equal("probe", data.GetString());
    }

    public async Task<string> ReceiveEventAsync(string expectedEvent)
    {
        var message = await ReceiveAsync();
        Assert.Equal(expectedEvent, message.GetProperty("event").GetString());
        return message.GetProperty("data").GetRawText();
    }

    public ValueTask DisposeAsync() => Raw.DisposeAsync();
}
