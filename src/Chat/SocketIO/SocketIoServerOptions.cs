using System.Text.Json;
using FastRealtime.Transport.EngineIO;

namespace FastRealtime.Chat.SocketIO;

/// <summary>Socket.IO server options; Engine.IO's (heartbeat, maxPayload, CORS, ...) are nested.</summary>
public sealed class SocketIoServerOptions
{
    public EngineIoOptions EngineIo { get; set; } = new();

    /// <summary>How emitted objects are serialized. Default: web defaults (camelCase).</summary>
    public JsonSerializerOptions Json { get; set; } = JsonSerializerOptions.Web;

    /// <summary>Most binary attachments one packet may announce. Default 64.</summary>
    public int MaxAttachments { get; set; } = 64;

    /// <summary>Most bytes of attachments one packet may carry in all. Default 1,000,000.</summary>
    public long MaxAttachmentBytes { get; set; } = 1_000_000;
}
