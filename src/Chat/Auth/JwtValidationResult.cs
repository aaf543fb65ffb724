using System.Diagnostics.CodeAnalysis;
using System.Security.Claims;

namespace FastRealtime.Chat.Auth;

/// <summary>
/// The outcome of <see cref="JwtTokenService.Validate"/>: the user (id = <c>sub</c>, name = <c>name</c> or else the id,
/// the whole <see cref="ClaimsPrincipal"/>), or a short human reason safe to show the client.
/// </summary>
public sealed class JwtValidationResult
{
    private JwtValidationResult(ClaimsPrincipal? principal, string? userId, string? userName, string? error)
    {
        Principal = principal;
        UserId = userId;
        UserName = userName;
        Error = error;
    }

    [MemberNotNullWhen(true, nameof(Principal), nameof(UserId), nameof(UserName))]
    [MemberNotNullWhen(false, nameof(Error))]
    public bool Succeeded => Error is null;

    public ClaimsPrincipal? Principal { get; }

    /// <summary>The <c>sub</c> claim.</summary>
    public string? UserId { get; }

    /// <summary>The <c>name</c> claim, or <see cref="UserId"/> when the token has none.</summary>
    public string? UserName { get; }

    /// <summary>Why the token was refused: one of the <see cref="JwtErrors"/> messages.</summary>
    public string? Error { get; }

    public static JwtValidationResult Success(ClaimsPrincipal principal, string userId, string userName) => new(principal, userId, userName, null);

    public static JwtValidationResult Failure(string error) => new(null, null, null, error);

    public override string ToString() => Succeeded ? $"valid token of {UserId}" : Error;
}

/// <summary>The reasons a token is refused, as the client sees them (Socket.IO CONNECT_ERROR, HTTP 401 body).</summary>
public static class JwtErrors
{
    public const string Missing = "Authentication token missing";
    public const string Malformed = "Malformed token";
    public const string Expired = "Token expired";
    public const string NotYetValid = "Token not yet valid";
    public const string BadSignature = "Invalid token signature";
    public const string BadIssuer = "Invalid token issuer";
    public const string BadAudience = "Invalid token audience";
    public const string BadAlgorithm = "Unsupported token algorithm";
    public const string NoExpiry = "Token has no expiry (exp)";
    public const string NoSubject = "Token has no subject (sub)";
    public const string Invalid = "Invalid token";
}
