using System.Text.Json;
using FastRealtime.Tests.Gateways;

namespace FastRealtime.Tests.ChatBackend;

/// <summary>
/// A chat client over the plain-WebSocket JSON protocol that keeps the events arriving between requests, so a test
/// can ask "what did I receive before my request's ack" (the server sends a socket's messages in order).
/// </summary>
public sealed class ChatWsClient(JsonWsClient ws) : IAsyncDisposable
{
    private readonly List<JsonElement> _events = [];
    private int _nextId;

    public JsonWsClient Ws { get; } = ws;

    public static async Task<ChatWsClient> ConnectAsync(ChatTestServer server, string userId, string? name = null) =>
        new(await server.ConnectAsync(userId, name));

    /// <summary>Sends with an ack id; returns the ack's data, or the <c>exception</c> that answered instead (Exception = true).</summary>
    public async Task<(JsonElement Data, bool IsException)> RequestAsync(string @event, object? data)
    {
        int id = 100_000 + Interlocked.Increment(ref _nextId);
        await Ws.SendTextAsync(JsonSerializer.Serialize(new { @event, id, data }, JsonSerializerOptions.Web));
        while (true)
        {
            var message = await Ws.ReceiveAsync();
            bool matches = message.TryGetProperty("id", out var replyId) && replyId.GetInt32() == id;
            if (matches) return (message.GetProperty("data"), message.GetProperty("event").GetString() == "exception");
            _events.Add(message);
        }
    }

    /// <summary>The ack's data; fails when <c>exception</c> answered.</summary>
    public async Task<JsonElement> AckAsync(string @event, object? data)
    {
        var (reply, isException) = await RequestAsync(@event, data);
        Assert.False(isException, $"{@event} answered exception: {reply}");
        return reply;
    }

    /// <summary>The <c>exception</c>'s message; fails when it was acked.</summary>
    public async Task<string> ExceptionAsync(string @event, object? data)
    {
        var (reply, isException) = await RequestAsync(@event, data);
        Assert.True(isException, $"{@event} was acked, expected exception: {reply}");
        Assert.Equal(@event, reply.GetProperty("cause").GetProperty("pattern").GetString());
        return reply.GetProperty("message").GetString()!;
    }

    /// <summary>Sends without an ack id (events like typing and leave answer nothing).</summary>
    public Task SendAsync(string @event, object? data) => Ws.SendAsync(@event, data);

    /// <summary>Waits for the next <paramref name="event"/> (earlier others are kept).</summary>
    public async Task<JsonElement> NextAsync(string @event)
    {
        int index = _events.FindIndex(e => e.GetProperty("event").GetString() == @event);
        if (index >= 0)
        {
            var found = _events[index];
            _events.RemoveAt(index);
            return found.GetProperty("data");
        }
        while (true)
        {
            var message = await Ws.ReceiveAsync();
            if (message.GetProperty("event").GetString() == @event) return message.GetProperty("data");
            _events.Add(message);
        }
    }

    /// <summary>
    /// The <paramref name="event"/>s received so far: a round trip (chat:history of a joined room) first, so everything
    /// queued for this socket before now has arrived. Removes them from the buffer.
    /// </summary>
    public async Task<List<JsonElement>> DrainAsync(string @event, string joinedRoom)
    {
        await AckAsync("chat:history", new { roomId = joinedRoom, limit = 1 });
        var matching = _events.Where(e => e.GetProperty("event").GetString() == @event).Select(e => e.GetProperty("data")).ToList();
        _events.RemoveAll(e => e.GetProperty("event").GetString() == @event);
        return matching;
    }

    public ValueTask DisposeAsync() => Ws.DisposeAsync();
}
