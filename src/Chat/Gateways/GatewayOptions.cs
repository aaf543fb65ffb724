using System.Text.Encodings.Web;
using System.Text.Json;

namespace FastRealtime.Chat.Gateways;

/// <summary>Limits and behaviour of every gateway namespace. Every limit has a safe default.</summary>
public sealed class GatewayOptions
{
    /// <summary>
    /// Payloads and replies (camelCase, case-insensitive reading: <see cref="JsonSerializerDefaults.Web"/>).
    /// Non-ASCII is written as UTF-8, not \u escapes (valid JSON, smaller frames).
    /// </summary>
    public JsonSerializerOptions JsonOptions { get; set; } = new(JsonSerializerDefaults.Web)
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>Unknown events answer <c>exception</c> unless this is true (then they are dropped silently).</summary>
    public bool IgnoreUnknownEvents { get; set; }

    /// <summary>Messages a client may send per second on average; 0 disables the limit. Excess answers <c>exception</c>.</summary>
    public int MaxMessagesPerSecond { get; set; } = 100;

    /// <summary>Messages a client may send in one burst above the average rate (token bucket size).</summary>
    public int MessageBurst { get; set; } = 100;

    /// <summary>
    /// Messages of one client waiting while one of its handlers (or its connection hook) is still running
    /// asynchronously; past it (or <see cref="MaxPendingBytes"/>) a message answers <c>exception</c> and is dropped.
    /// </summary>
    public int MaxPendingMessages { get; set; } = 256;

    /// <summary>Bytes of the waiting messages of one client (see <see cref="MaxPendingMessages"/>).</summary>
    public int MaxPendingBytes { get; set; } = 1024 * 1024;

    /// <summary>Rooms one client may be in at once.</summary>
    public int MaxRoomsPerClient { get; set; } = 1024;
}
