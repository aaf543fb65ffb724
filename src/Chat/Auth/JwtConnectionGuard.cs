using System.Text.Json;
using FastRealtime.Chat.Gateways;
using FastRealtime.Transport.Http;

namespace FastRealtime.Chat.Auth;

/// <summary>
/// Authenticates each connection with a JWT from, in order: Socket.IO's <c>auth.token</c>, the
/// <c>Authorization: Bearer</c> header, the <c>?token=</c> query (browsers cannot set headers on a WebSocket). A valid
/// token attaches the user to the client for its whole life (<see cref="GatewayClient.Authenticate"/>); anything else
/// refuses with a short reason: CONNECT_ERROR <c>{message}</c> on Socket.IO, HTTP 401 <c>{message}</c> before the
/// upgrade on plain WebSocket.
/// </summary>
/// <remarks>Thread-safe: one instance serves every connection; its only state is the per-thread hand-over from the
/// plain-WebSocket upgrade to that connection's <see cref="CanConnect"/>. Use with <c>[UseGuards(typeof(JwtConnectionGuard))]</c>.</remarks>
public sealed class JwtConnectionGuard(JwtTokenService tokens) : IGatewayConnectionGuard, IGatewayHandshakeGuard
{
    public const string QueryParameter = "token";

    /// <summary>The 401's WWW-Authenticate (RFC 6750 §3): the client should present a bearer token.</summary>
    private const string BearerChallenge = "Bearer";

    // Plain WebSocket asks Authorize before the upgrade and CanConnect right after it, for the same request, on the
    // same thread, without yielding in between: the admission is kept here for that one call, so a token is validated
    // once per connection (a validation costs about 2.5 times the whole upgrade handshake: JwtAdmissionBenchmarks). Any
    // other order, thread, guard or request misses and validates as usual.
    [ThreadStatic] private static (JwtConnectionGuard? Guard, HttpRequestHead? Request, JwtValidationResult? Result) t_admitted;

    public ValueTask<bool> CanConnect(GatewayConnectionContext context)
    {
        var result = TakeAdmission(context.Request, context.Auth) ?? tokens.Validate(FindToken(context.Auth, context.Request));
        if (!result.Succeeded) throw new WsException(result.Error);
        context.Client.Authenticate(result.UserId, result.Principal);
        return ValueTask.FromResult(true);
    }

    /// <summary>Plain WebSocket, before the upgrade: a missing or bad token is answered 401 and never reaches the namespace.</summary>
    public GatewayHandshakeRefusal? Authorize(HttpRequestHead request)
    {
        var result = tokens.Validate(FindToken(null, request));
        if (!result.Succeeded)
        {
            t_admitted = default;
            return new GatewayHandshakeRefusal(401, result.Error, BearerChallenge);
        }
        t_admitted = (this, request, result);
        return null;
    }

    private JwtValidationResult? TakeAdmission(HttpRequestHead? request, JsonElement? auth)
    {
        var admitted = t_admitted;
        t_admitted = default;
        // An auth payload would outrank the request's token (FindToken), so only a request without one reuses it.
        return auth is null && request is not null && ReferenceEquals(admitted.Guard, this) && ReferenceEquals(admitted.Request, request)
            ? admitted.Result
            : null;
    }

    /// <summary>The token the client presented, or null: auth payload first, then the header, then the query.</summary>
    public static string? FindToken(JsonElement? auth, HttpRequestHead? request)
    {
        if (auth is { ValueKind: JsonValueKind.Object } payload
            && payload.TryGetProperty("token", out var token) && token.ValueKind == JsonValueKind.String
            && token.GetString() is { Length: > 0 } fromAuth)
            return fromAuth;
        if (request is null) return null;
        if (BearerToken(request.Headers["Authorization"]) is { } fromHeader) return fromHeader;
        return request.GetQueryValue(QueryParameter) is { Length: > 0 } fromQuery ? fromQuery : null;
    }

    private static string? BearerToken(string? authorization)
    {
        const string scheme = "Bearer ";
        if (authorization is null || !authorization.StartsWith(scheme, StringComparison.OrdinalIgnoreCase)) return null;
        string token = authorization[scheme.Length..].Trim();
        return token.Length > 0 ? token : null;
    }
}
