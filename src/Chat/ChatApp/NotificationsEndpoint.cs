using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using FastRealtime.Transport.Server;

namespace FastRealtime.Chat.ChatApp;

/// <summary>
/// <c>POST /api/notifications</c> with <c>Authorization: Bearer &lt;admin key&gt;</c> and a JSON body
/// <c>{userId?, type, title, message}</c>: sends <c>notification:new</c> to every socket of the user, or to everyone
/// without userId. Answers 202 <c>{id, delivered, scope}</c> (see <see cref="NotificationReach"/>: with scale-out a
/// user's sockets on every node are counted, a broadcast counts this node's), 401 on a missing or
/// wrong key (and always when no key is configured), 400 naming the field, 405 on other methods. Errors are JSON
/// <c>{"error": ...}</c>.
/// </summary>
public static class NotificationsEndpoint
{
    public const string Path = "/api/notifications";
    private const int MaxTitleLength = 200;
    private const int MaxMessageLength = 2000;

    // Error texts quote JSON and headers: written as they are, not as \u003C escapes.
    private static readonly JsonSerializerOptions s_json = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static EndpointRouter MapNotificationsApi(this EndpointRouter router, NotificationService notifications, ChatSettings settings)
    {
        byte[]? expectedKey = string.IsNullOrEmpty(settings.AdminKey) ? null : SHA256.HashData(Encoding.UTF8.GetBytes(settings.AdminKey));
        router.MapHttp(Path, request => HandleAsync(request, notifications, expectedKey));
        return router;
    }

    private static async ValueTask<HttpResponse> HandleAsync(HttpRequest request, NotificationService notifications, byte[]? expectedKey)
    {
        if (request.Method != "POST") return Error(405, "Method not allowed: use POST.") with { Headers = [new("Allow", "POST")] };
        if (!IsAuthorized(request.Head.Headers["Authorization"], expectedKey))
            return Error(401, "Unauthorized: send Authorization: Bearer <admin key>.") with { Headers = [new("WWW-Authenticate", "Bearer")] };
        if (!TryRead(request.Body, out var body, out string? error)) return Error(400, error!);
        var notification = NotificationService.Create(body.Type, body.Title, body.Message);
        var reach = body.UserId is null
            ? new NotificationReach(notifications.Broadcast(notification), NotificationReach.NodeScope)
            : await notifications.SendToUserInClusterAsync(body.UserId, notification).ConfigureAwait(false);
        return HttpResponse.Json(202, JsonSerializer.Serialize(new { id = notification.Id, delivered = reach.Delivered, scope = reach.Scope }, s_json));
    }

    /// <summary>
    /// Compares hashes of the keys with <see cref="CryptographicOperations.FixedTimeEquals"/>: the time taken says
    /// nothing about how much of the key matched, nor about its length.
    /// </summary>
    internal static bool IsAuthorized(string? authorization, byte[]? expectedKeyHash)
    {
        if (expectedKeyHash is null || authorization is null) return false;
        const string scheme = "Bearer ";
        if (!authorization.StartsWith(scheme, StringComparison.OrdinalIgnoreCase)) return false;
        byte[] presented = SHA256.HashData(Encoding.UTF8.GetBytes(authorization[scheme.Length..].Trim()));
        return CryptographicOperations.FixedTimeEquals(presented, expectedKeyHash);
    }

    private static bool TryRead(ReadOnlyMemory<byte> json, out NotificationRequest body, out string? error)
    {
        body = default;
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException)
        {
            error = "The body must be a JSON object {userId?, type, title, message}.";
            return false;
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                error = "The body must be a JSON object {userId?, type, title, message}.";
                return false;
            }
            string? userId = null, type = null, title = null, message = null;
            error = ReadString(root, "userId", required: false, 256, out userId)
                ?? ReadString(root, "type", required: true, 16, out type)
                ?? ReadString(root, "title", required: true, MaxTitleLength, out title)
                ?? ReadString(root, "message", required: false, MaxMessageLength, out message);
            if (error is null && !NotificationTypes.IsKnown(type))
                error = "The field type must be one of \"info\", \"warning\", \"error\".";
            if (error is not null) return false;
            body = new NotificationRequest(userId, type!, title!, message ?? "");
            return true;
        }
    }

    /// <summary>Null when fine; otherwise the error naming the field.</summary>
    private static string? ReadString(JsonElement root, string field, bool required, int maxLength, out string? value)
    {
        value = null;
        if (!root.TryGetProperty(field, out var element) || element.ValueKind == JsonValueKind.Null)
            return required ? $"The field {field} is required." : null;
        if (element.ValueKind != JsonValueKind.String) return $"The field {field} must be a string.";
        value = element.GetString()!;
        if (required && string.IsNullOrWhiteSpace(value)) return $"The field {field} is required.";
        if (!required && value.Length == 0 && field == "userId") return "The field userId must not be empty (omit it to broadcast).";
        if (value.Length > maxLength) return $"The field {field} must be at most {maxLength} characters.";
        return null;
    }

    private static HttpResponse Error(int status, string message) =>
        HttpResponse.Json(status, JsonSerializer.Serialize(new { error = message }, s_json));

    private readonly record struct NotificationRequest(string? UserId, string Type, string Title, string Message);
}
