using FastRealtime.Core.Connections;
using FastRealtime.Transport.Http;

namespace FastRealtime.Transport.Server;

/// <summary>A complete plain HTTP request: its head and its (bounded) body.</summary>
public sealed class HttpRequest(HttpRequestHead head, ReadOnlyMemory<byte> body, Connection connection)
{
    public HttpRequestHead Head { get; } = head;

    public ReadOnlyMemory<byte> Body { get; } = body;

    public Connection Connection { get; } = connection;

    public string Method => Head.Method;

    public string Path => Head.Path;
}

/// <summary>A small HTTP response, written whole.</summary>
public sealed record HttpResponse(int StatusCode, ReadOnlyMemory<byte> Body, string ContentType = "text/plain; charset=utf-8")
{
    public IReadOnlyList<KeyValuePair<string, string>>? Headers { get; init; }

    public static HttpResponse Text(int statusCode, string body) =>
        new(statusCode, System.Text.Encoding.UTF8.GetBytes(body));

    public static HttpResponse Json(int statusCode, string json) =>
        new(statusCode, System.Text.Encoding.UTF8.GetBytes(json), "application/json; charset=utf-8");
}

/// <summary>Handles one plain HTTP request.</summary>
public delegate ValueTask<HttpResponse> HttpRequestHandler(HttpRequest request);
