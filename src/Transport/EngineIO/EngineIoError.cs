using FastRealtime.Transport.Server;

namespace FastRealtime.Transport.EngineIO;

/// <summary>The error codes the engine.io server answers bad requests with (its Server.errors table).</summary>
public enum EngineIoError : byte
{
    UnknownTransport = 0,
    UnknownSid = 1,
    BadHandshakeMethod = 2,
    BadRequest = 3,
    Forbidden = 4,
    UnsupportedProtocolVersion = 5,
}

/// <summary>One place mapping each <see cref="EngineIoError"/> to its HTTP status and JSON body.</summary>
public static class EngineIoErrors
{
    public static string Message(this EngineIoError error) => error switch
    {
        EngineIoError.UnknownTransport => "Transport unknown",
        EngineIoError.UnknownSid => "Session ID unknown",
        EngineIoError.BadHandshakeMethod => "Bad handshake method",
        EngineIoError.BadRequest => "Bad request",
        EngineIoError.Forbidden => "Forbidden",
        _ => "Unsupported protocol version",
    };

    public static int StatusCode(this EngineIoError error) => error == EngineIoError.Forbidden ? 403 : 400;

    // The bodies are constant: built once, shared by every answer.
    private static readonly HttpResponse[] s_responses = Enumerable.Range(0, 6)
        .Select(code => HttpResponse.Json(((EngineIoError)code).StatusCode(),
            $"{{\"code\":{code},\"message\":\"{((EngineIoError)code).Message()}\"}}"))
        .ToArray();

    public static HttpResponse ToResponse(this EngineIoError error) => s_responses[(int)error];
}
