using System.Text;
using FastRealtime.Chat.Auth;
using FastRealtime.Chat.ChatApp;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace FastRealtime.Tests.Auth;

/// <summary>Tokens signed directly with the library, so tests can make every kind of bad token the service must refuse.</summary>
internal static class TestTokens
{
    public const string Secret = "test-secret-of-at-least-thirty-two-bytes!";

    public static ChatSettings Settings(string? secret = Secret, string? issuer = null, string? audience = null, TimeSpan? skew = null) => new()
    {
        JwtSecret = secret,
        JwtIssuer = issuer,
        JwtAudience = audience,
        JwtClockSkew = skew ?? TimeSpan.FromSeconds(30),
    };

    public static JwtTokenService Service(string? issuer = null, string? audience = null, TimeSpan? skew = null) =>
        JwtTokenService.FromSettings(Settings(Secret, issuer, audience, skew));

    /// <summary>An HS256 token; times are relative to now, null leaves the claim out.</summary>
    public static string Sign(
        string? subject = "u1",
        string? name = "Alice",
        TimeSpan? expiresIn = null,
        TimeSpan? notBeforeIn = null,
        bool withExpiry = true,
        string secret = Secret,
        string? issuer = null,
        string? audience = null,
        string algorithm = SecurityAlgorithms.HmacSha256)
    {
        var now = DateTime.UtcNow;
        var claims = new Dictionary<string, object>();
        if (subject is not null) claims[JwtRegisteredClaimNames.Sub] = subject;
        if (name is not null) claims[JwtRegisteredClaimNames.Name] = name;
        var handler = new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false };
        var notBefore = now + (notBeforeIn ?? TimeSpan.FromMinutes(-1));
        return handler.CreateToken(new SecurityTokenDescriptor
        {
            Claims = claims,
            Issuer = issuer,
            Audience = audience,
            IssuedAt = notBefore,
            NotBefore = notBefore,
            Expires = withExpiry ? now + (expiresIn ?? TimeSpan.FromHours(1)) : null,
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(secret)), algorithm),
        });
    }

    /// <summary>An unsigned token (<c>"alg": "none"</c>) with a valid-looking payload.</summary>
    public static string Unsigned()
    {
        long exp = DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds();
        return Base64Url("""{"alg":"none","typ":"JWT"}""") + "." + Base64Url($$"""{"sub":"u1","name":"Alice","exp":{{exp}}}""") + ".";
    }

    /// <summary>An HS384 token signed by hand with <see cref="Secret"/> (41 bytes): the library refuses keys below the hash size.</summary>
    public static string Hs384WithShortKey()
    {
        long exp = DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds();
        string signingInput = Base64Url("""{"alg":"HS384","typ":"JWT"}""") + "." + Base64Url($$"""{"sub":"u1","exp":{{exp}}}""");
        byte[] signature = System.Security.Cryptography.HMACSHA384.HashData(Encoding.UTF8.GetBytes(Secret), Encoding.ASCII.GetBytes(signingInput));
        return signingInput + "." + System.Buffers.Text.Base64Url.EncodeToString(signature);
    }

    private static string Base64Url(string json) => System.Buffers.Text.Base64Url.EncodeToString(Encoding.UTF8.GetBytes(json));
}
