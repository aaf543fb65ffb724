using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace FastRealtime.LoadGen.Chat;

/// <summary>
/// Mints the HS256 JWTs the chat server accepts (shared/spec/chat-protocol.md: claims <c>sub</c> and <c>name</c>),
/// one per simulated user, from the secret the server was started with (<c>serve --jwt-secret S</c>).
/// </summary>
/// <remarks>
/// Hand-written rather than Microsoft.IdentityModel.JsonWebTokens: an HS256 token is two base64url JSON objects and
/// an HMAC-SHA256 over them (RFC 7519 §3, RFC 7515 §3.1), a few lines on the shared framework, while the package
/// would pull the identity stack into a tool that otherwise depends only on the transport. A load of 100,000 users
/// mints 100,000 tokens before the first connection. ChatWireTests validates them with the server's own
/// JwtTokenService, and the chat end-to-end test with the running server.
/// </remarks>
public static class ChatTokens
{
    private static readonly string Header = Base64Url.EncodeToString("""{"alg":"HS256","typ":"JWT"}"""u8);

    /// <summary>The user id (<c>sub</c>) of simulated user <paramref name="index"/>.</summary>
    public static string UserId(int index) => $"loadgen-{index}";

    /// <summary>A signed token for user <paramref name="index"/>, valid from now for <paramref name="lifetime"/>.</summary>
    public static string Mint(string secret, int index, TimeSpan lifetime, string? issuer = null, string? audience = null)
    {
        long now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var claims = new Dictionary<string, object>
        {
            ["sub"] = UserId(index),
            ["name"] = $"Load {index}",
            ["iat"] = now,
            ["nbf"] = now,
            ["exp"] = now + (long)lifetime.TotalSeconds,
        };
        if (issuer is not null) claims["iss"] = issuer;
        if (audience is not null) claims["aud"] = audience;
        string signingInput = Header + "." + Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(claims));
        byte[] signature = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.ASCII.GetBytes(signingInput));
        return signingInput + "." + Base64Url.EncodeToString(signature);
    }
}
