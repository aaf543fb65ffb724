using System.Diagnostics.Metrics;
using System.Security.Claims;
using System.Text;
using FastRealtime.Chat.ChatApp;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace FastRealtime.Chat.Auth;

/// <summary>
/// Issues and checks the HS256 JWTs clients present in the handshake (claims <c>sub</c>, <c>name</c>, optional
/// <c>email</c>, <c>roles</c>), with the issuer, audience and clock skew of <see cref="ChatSettings"/>.
/// </summary>
/// <remarks>
/// Thread-safe: the handler and the validation parameters are shared and never change after construction.
/// <see cref="Validate"/> never throws for a bad token and completes synchronously (it runs on the plain-WebSocket
/// pre-upgrade hook, which cannot wait). Every check is counted on <see cref="Meter"/> (one meter per instance).
/// </remarks>
public sealed class JwtTokenService : IDisposable
{
    public const string MeterName = "FastRealtime.Chat.Auth";

    /// <summary>The algorithms accepted; all HMAC, since the key is a shared secret (no "none", no key confusion).</summary>
    private static readonly string[] s_validAlgorithms = [SecurityAlgorithms.HmacSha256, SecurityAlgorithms.HmacSha384, SecurityAlgorithms.HmacSha512];

    private readonly JsonWebTokenHandler _handler = new();
    private readonly SymmetricSecurityKey _key;
    private readonly TokenValidationParameters _parameters;
    private readonly string? _issuer;
    private readonly string? _audience;
    private readonly Counter<long> _validated;

    public JwtTokenService(JwtSecretProvider secrets, ChatSettings settings)
    {
        ArgumentNullException.ThrowIfNull(secrets);
        ArgumentNullException.ThrowIfNull(settings);
        IsDevelopment = secrets.IsDevelopment;
        Meter = new Meter(MeterName);
        _validated = Meter.CreateCounter<long>("fastrealtime.auth.tokens.validated", "{token}",
            "JWTs checked, by result (valid, invalid): one per authenticated connection");
        _key = new SymmetricSecurityKey(Encoding.UTF8.GetBytes(secrets.Secret));
        _issuer = settings.JwtIssuer;
        _audience = settings.JwtAudience;
        _parameters = new TokenValidationParameters
        {
            IssuerSigningKey = _key,
            ValidAlgorithms = s_validAlgorithms,
            ValidateIssuer = _issuer is not null,
            ValidIssuer = _issuer,
            ValidateAudience = _audience is not null,
            ValidAudience = _audience,
            ValidateLifetime = true,
            RequireExpirationTime = true,
            ClockSkew = settings.JwtClockSkew,
            NameClaimType = JwtRegisteredClaimNames.Name,
            RoleClaimType = RolesClaim,
        };
    }

    /// <summary>The claim holding the user's roles (a string or an array of strings).</summary>
    public const string RolesClaim = "roles";

    public Meter Meter { get; }

    /// <summary>True when the secret is the generated development one (see <see cref="JwtSecretProvider.IsDevelopment"/>).</summary>
    public bool IsDevelopment { get; }

    /// <summary>The secret configured in <paramref name="settings"/>, or else the data folder's development secret.</summary>
    public static JwtTokenService FromSettings(ChatSettings settings) => new(new JwtSecretProvider(settings), settings);

    /// <summary>A signed HS256 token for <paramref name="subject"/>, valid from now for <paramref name="lifetime"/>.</summary>
    public string Create(string subject, string name, TimeSpan lifetime, string? email = null, IReadOnlyList<string>? roles = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(subject);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(lifetime, TimeSpan.Zero);
        var claims = new Dictionary<string, object>
        {
            [JwtRegisteredClaimNames.Sub] = subject,
            [JwtRegisteredClaimNames.Name] = name,
        };
        if (email is not null) claims[JwtRegisteredClaimNames.Email] = email;
        if (roles is { Count: > 0 }) claims[RolesClaim] = roles.ToArray();
        var now = DateTime.UtcNow;
        return _handler.CreateToken(new SecurityTokenDescriptor
        {
            Claims = claims,
            Issuer = _issuer,
            Audience = _audience,
            IssuedAt = now,
            NotBefore = now,
            Expires = now + lifetime,
            SigningCredentials = new SigningCredentials(_key, SecurityAlgorithms.HmacSha256),
        });
    }

    /// <summary>Checks signature, algorithm, lifetime, issuer, audience and <c>sub</c>; a failure carries a short reason.</summary>
    public JwtValidationResult Validate(string? token)
    {
        var result = Check(token);
        _validated.Add(1, new KeyValuePair<string, object?>("result", result.Succeeded ? "valid" : "invalid"));
        return result;
    }

    private JwtValidationResult Check(string? token)
    {
        if (string.IsNullOrWhiteSpace(token)) return JwtValidationResult.Failure(JwtErrors.Missing);
        var pending = _handler.ValidateTokenAsync(token, _parameters);
        // With a fixed in-memory key and no ConfigurationManager (no metadata to fetch), the library runs every step
        // synchronously and hands back a completed task (a test holds it to that). Blocking is only a safety net.
        var result = pending.IsCompleted ? pending.Result : pending.GetAwaiter().GetResult();
        if (!result.IsValid) return JwtValidationResult.Failure(Describe(result.Exception));
        var identity = result.ClaimsIdentity;
        string? subject = identity.FindFirst(JwtRegisteredClaimNames.Sub)?.Value;
        if (string.IsNullOrWhiteSpace(subject)) return JwtValidationResult.Failure(JwtErrors.NoSubject);
        string? name = identity.FindFirst(JwtRegisteredClaimNames.Name)?.Value;
        return JwtValidationResult.Success(new ClaimsPrincipal(identity), subject, string.IsNullOrWhiteSpace(name) ? subject : name);
    }

    private static string Describe(Exception? exception) => exception switch
    {
        SecurityTokenExpiredException => JwtErrors.Expired,
        SecurityTokenNotYetValidException => JwtErrors.NotYetValid,
        SecurityTokenNoExpirationException => JwtErrors.NoExpiry,
        SecurityTokenInvalidSignatureException => JwtErrors.BadSignature, // includes "no key matched" (SignatureKeyNotFound)
        SecurityTokenInvalidAlgorithmException => JwtErrors.BadAlgorithm,
        SecurityTokenInvalidIssuerException => JwtErrors.BadIssuer,
        SecurityTokenInvalidAudienceException => JwtErrors.BadAudience,
        SecurityTokenMalformedException or ArgumentException => JwtErrors.Malformed,
        _ => JwtErrors.Invalid,
    };

    public void Dispose() => Meter.Dispose();
}
