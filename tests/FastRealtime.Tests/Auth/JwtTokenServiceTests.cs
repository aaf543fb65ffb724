using FastRealtime.Chat.Auth;
using FastRealtime.Chat.ChatApp;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace FastRealtime.Tests.Auth;

public sealed class JwtTokenServiceTests
{
    [Fact]
    public void Create_ThenValidate_UserIdNameEmailAndRoles()
    {
        var service = TestTokens.Service();
        string token = service.Create("u42", "Alice", TimeSpan.FromMinutes(5), "alice@example.com", ["admin", "mod"]);

        var result = service.Validate(token);

        Assert.True(result.Succeeded, result.Error);
        Assert.Equal("u42", result.UserId);
        Assert.Equal("Alice", result.UserName);
        Assert.Equal("Alice", result.Principal.Identity!.Name);
        Assert.Equal("alice@example.com", result.Principal.FindFirst(JwtRegisteredClaimNames.Email)?.Value);
        Assert.True(result.Principal.IsInRole("admin"));
        Assert.True(result.Principal.IsInRole("mod"));
        Assert.False(result.Principal.IsInRole("user"));
    }

    [Fact]
    public void Create_WithIssuerAndAudience_ValidatesAgainstTheSameSettings()
    {
        var service = TestTokens.Service(issuer: "fastrealtime", audience: "chat");
        var result = service.Validate(service.Create("u1", "Bob", TimeSpan.FromMinutes(1)));
        Assert.True(result.Succeeded, result.Error);
        Assert.Equal("Bob", result.UserName);
    }

    [Fact]
    public void Create_NonPositiveLifetime_Throws()
    {
        var service = TestTokens.Service();
        Assert.Throws<ArgumentOutOfRangeException>(() => service.Create("u1", "A", TimeSpan.Zero));
    }

    [Fact]
    public void Validate_NoNameClaim_UserNameFallsBackToSub()
    {
        var result = TestTokens.Service().Validate(TestTokens.Sign(subject: "u7", name: null));
        Assert.True(result.Succeeded, result.Error);
        Assert.Equal("u7", result.UserName);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void Validate_NoToken_Missing(string? token) =>
        Assert.Equal(JwtErrors.Missing, TestTokens.Service().Validate(token).Error);

    [Theory]
    [InlineData("garbage")]
    [InlineData("a.b.c")]
    [InlineData("eyJhbGciOiJIUzI1NiJ9.not-base64!.sig")]
    public void Validate_Garbage_Malformed(string token) =>
        Assert.Equal(JwtErrors.Malformed, TestTokens.Service().Validate(token).Error);

    [Fact]
    public void Validate_Expired_TokenExpired() =>
        Assert.Equal(JwtErrors.Expired, TestTokens.Service().Validate(TestTokens.Sign(expiresIn: TimeSpan.FromMinutes(-5), notBeforeIn: TimeSpan.FromHours(-1))).Error);

    [Fact]
    public void Validate_ExpiredWithinClockSkew_Accepted_AndRefusedWithoutSkew()
    {
        string token = TestTokens.Sign(expiresIn: TimeSpan.FromSeconds(-10), notBeforeIn: TimeSpan.FromHours(-1));
        Assert.True(TestTokens.Service(skew: TimeSpan.FromSeconds(30)).Validate(token).Succeeded);
        Assert.Equal(JwtErrors.Expired, TestTokens.Service(skew: TimeSpan.Zero).Validate(token).Error);
    }

    [Fact]
    public void Validate_NotYetValid_Refused() =>
        Assert.Equal(JwtErrors.NotYetValid, TestTokens.Service().Validate(TestTokens.Sign(notBeforeIn: TimeSpan.FromMinutes(10), expiresIn: TimeSpan.FromHours(1))).Error);

    [Fact]
    public void Validate_NoExpiry_Refused() =>
        Assert.Equal(JwtErrors.NoExpiry, TestTokens.Service().Validate(TestTokens.Sign(withExpiry: false)).Error);

    [Fact]
    public void Validate_SignedWithAnotherSecret_InvalidSignature() =>
        Assert.Equal(JwtErrors.BadSignature, TestTokens.Service().Validate(TestTokens.Sign(secret: "another-secret-of-at-least-thirty-two-bytes")).Error);

    [Fact]
    public void Validate_SignatureTampered_InvalidSignature()
    {
        string token = TestTokens.Sign();
        string tampered = token[..^2] + (token[^2] == 'A' ? "B" : "A") + token[^1];
        Assert.Equal(JwtErrors.BadSignature, TestTokens.Service().Validate(tampered).Error);
    }

    [Fact]
    public void Validate_Unsigned_InvalidSignature() =>
        Assert.Equal(JwtErrors.BadSignature, TestTokens.Service().Validate(TestTokens.Unsigned()).Error);

    [Fact]
    public void Validate_Hs512WithTheSecret_Accepted()
    {
        // The library wants a key of at least the hash size for each HMAC: 64 bytes for HS512.
        string secret = new('s', 64);
        var service = JwtTokenService.FromSettings(TestTokens.Settings(secret));
        Assert.True(service.Validate(TestTokens.Sign(secret: secret, algorithm: SecurityAlgorithms.HmacSha512)).Succeeded);
    }

    [Fact]
    public void Validate_AlgorithmNeedingALongerKeyThanTheSecret_RefusedNotThrown() =>
        Assert.Equal(JwtErrors.BadSignature, TestTokens.Service().Validate(TestTokens.Hs384WithShortKey()).Error);

    [Fact]
    public void Validate_WrongIssuer_Refused()
    {
        var service = TestTokens.Service(issuer: "fastrealtime");
        Assert.Equal(JwtErrors.BadIssuer, service.Validate(TestTokens.Sign(issuer: "someone-else")).Error);
        Assert.Equal(JwtErrors.BadIssuer, service.Validate(TestTokens.Sign(issuer: null)).Error);
        Assert.True(service.Validate(TestTokens.Sign(issuer: "fastrealtime")).Succeeded);
    }

    [Fact]
    public void Validate_WrongAudience_Refused()
    {
        var service = TestTokens.Service(audience: "chat");
        Assert.Equal(JwtErrors.BadAudience, service.Validate(TestTokens.Sign(audience: "billing")).Error);
        Assert.Equal(JwtErrors.BadAudience, service.Validate(TestTokens.Sign(audience: null)).Error);
        Assert.True(service.Validate(TestTokens.Sign(audience: "chat")).Succeeded);
    }

    [Fact]
    public void Validate_NoIssuerOrAudienceConfigured_AnyAccepted() =>
        Assert.True(TestTokens.Service().Validate(TestTokens.Sign(issuer: "x", audience: "y")).Succeeded);

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void Validate_NoSubject_Refused(string? subject) =>
        Assert.Equal(JwtErrors.NoSubject, TestTokens.Service().Validate(TestTokens.Sign(subject: subject)).Error);

    [Fact]
    public void ValidateTokenAsync_InMemoryKey_CompletesSynchronously()
    {
        // JwtTokenService.Validate runs on the synchronous pre-upgrade hook: the library must not go asynchronous.
        var handler = new JsonWebTokenHandler();
        var parameters = new TokenValidationParameters
        {
            IssuerSigningKey = new SymmetricSecurityKey(System.Text.Encoding.UTF8.GetBytes(TestTokens.Secret)),
            ValidateIssuer = false,
            ValidateAudience = false,
        };
        foreach (string token in new[] { TestTokens.Sign(), TestTokens.Sign(secret: "another-secret-of-at-least-thirty-two-bytes"), "garbage" })
            Assert.True(handler.ValidateTokenAsync(token, parameters).IsCompleted, token);
    }

    [Fact]
    public void Constructor_ShortSecret_RefusedWithTheReason()
    {
        var error = Assert.Throws<InvalidOperationException>(() => JwtTokenService.FromSettings(new ChatSettings { JwtSecret = "too-short" }));
        Assert.Contains("256 bits", error.Message);
    }

    [Fact]
    public void Constructor_SecretOfExactly32Bytes_Accepted()
    {
        var service = JwtTokenService.FromSettings(new ChatSettings { JwtSecret = new string('k', 32) });
        Assert.False(service.IsDevelopment);
        Assert.True(service.Validate(service.Create("u", "n", TimeSpan.FromMinutes(1))).Succeeded);
    }
}
