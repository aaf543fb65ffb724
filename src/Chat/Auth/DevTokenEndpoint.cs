using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using FastRealtime.Transport.Server;

namespace FastRealtime.Chat.Auth;

/// <summary>
/// <c>POST /api/dev/token</c> <c>{"name": "Alice"}</c> → <c>{"token", "userId", "userName"}</c>: a token for anyone,
/// so a browser demo works with zero set-up. Served only in development mode (no configured secret): with a real
/// secret the path is not mapped at all (404), since it would hand out valid tokens to strangers.
/// </summary>
public static class DevTokenEndpoint
{
    public const string Path = "/api/dev/token";

    /// <summary>The longest display name accepted, in UTF-16 code units after trimming.</summary>
    public const int MaxNameLength = 32;

    /// <summary>How long a development token lives unless the caller says otherwise.</summary>
    public static readonly TimeSpan DefaultLifetime = TimeSpan.FromHours(12);

    /// <summary>Maps <see cref="Path"/> when <paramref name="tokens"/> is in development mode; otherwise maps nothing.</summary>
    public static EndpointRouter MapDevTokenEndpoint(this EndpointRouter router, JwtTokenService tokens, TimeSpan? lifetime = null)
    {
        ArgumentNullException.ThrowIfNull(router);
        ArgumentNullException.ThrowIfNull(tokens);
        if (!tokens.IsDevelopment) return router;
        var ttl = lifetime ?? DefaultLifetime;
        router.MapHttp(Path, request => ValueTask.FromResult(Handle(request, tokens, ttl)));
        return router;
    }

    private static HttpResponse Handle(HttpRequest request, JwtTokenService tokens, TimeSpan lifetime)
    {
        if (request.Method != "POST") return Error(405, "Use POST with {\"name\": ...}");
        if (ReadName(request.Body.Span) is not { } name)
            return Error(400, $"Expected JSON {{\"name\": a name of 1 to {MaxNameLength} characters}}");
        string userId = UserIdFor(name);
        string token = tokens.Create(userId, name, lifetime);
        return HttpResponse.Json(200, JsonSerializer.Serialize(new DevTokenResponse(token, userId, name), DevTokenJson.Default.DevTokenResponse));
    }

    /// <summary>The trimmed name, or null when the body is not <c>{"name": string}</c> with a usable name.</summary>
    private static string? ReadName(ReadOnlySpan<byte> body)
    {
        try
        {
            var reader = new Utf8JsonReader(body);
            using var document = JsonDocument.ParseValue(ref reader);
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty("name", out var value) || value.ValueKind != JsonValueKind.String)
                return null;
            string name = value.GetString()!.Trim();
            return name.Length is > 0 and <= MaxNameLength && !name.Any(char.IsControl) ? name : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>
    /// "dev-" + a lower-case slug of the name ("Alice Smith" → "dev-alice-smith"): stable, so two tabs with one name are
    /// one user. Names without a letter or digit get a short hash instead. Case and punctuation do not tell users apart.
    /// </summary>
    public static string UserIdFor(string name)
    {
        var slug = new StringBuilder("dev-", 4 + name.Length);
        bool pendingDash = false;
        foreach (char c in name.Trim())
        {
            if (char.IsLetterOrDigit(c))
            {
                if (pendingDash && slug.Length > 4) slug.Append('-');
                slug.Append(char.ToLowerInvariant(c));
                pendingDash = false;
            }
            else
            {
                pendingDash = true;
            }
        }
        if (slug.Length > 4) return slug.ToString();
        return "dev-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(name.Trim())).AsSpan(0, 6));
    }

    private static HttpResponse Error(int status, string message) =>
        HttpResponse.Json(status, JsonSerializer.Serialize(new DevTokenError(message), DevTokenJson.Default.DevTokenError));
}

internal sealed record DevTokenResponse(
    [property: JsonPropertyName("token")] string Token,
    [property: JsonPropertyName("userId")] string UserId,
    [property: JsonPropertyName("userName")] string UserName);

internal sealed record DevTokenError([property: JsonPropertyName("message")] string Message);

[JsonSerializable(typeof(DevTokenResponse))]
[JsonSerializable(typeof(DevTokenError))]
internal sealed partial class DevTokenJson : JsonSerializerContext;
