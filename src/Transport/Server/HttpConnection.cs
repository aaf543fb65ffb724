using System.Buffers;
using System.IO.Pipelines;
using FastRealtime.Core.Connections;
using FastRealtime.Transport.Http;
using FastRealtime.Transport.WebSockets;
using Microsoft.Extensions.Logging;

namespace FastRealtime.Transport.Server;

/// <summary>
/// The HTTP/1.1 side of one connection: reads request heads under the header timeout, routes them, answers plain
/// requests (keep-alive), and hands an accepted WebSocket upgrade to a <see cref="WebSocketSession"/>.
/// </summary>
internal sealed class HttpConnection(Connection connection, EndpointRouter router, WebSocketServerOptions options, ILogger logger)
    : IConnectionProtocol
{
    public async Task RunAsync()
    {
        connection.Protocol = this;
        var input = connection.Input;
        var timeout = options.Http.HeaderTimeout;
        while (true)
        {
            // Slowloris defence: the whole head must arrive within the timeout, however it trickles in.
            connection.ScheduleTimer(timeout);
            HttpRequestHead? head = await ReadHeadAsync(input).ConfigureAwait(false);
            if (head is null) return;
            connection.CancelTimer();

            EndpointRouter.Endpoint? endpoint = router.Find(head.Path);
            if (WebSocketHandshake.IsUpgradeRequest(head))
            {
                var session = TryUpgrade(head, endpoint?.WebSocket);
                // The head is garbage from here on: a long-lived idle WebSocket must not keep it alive.
                head = null;
                endpoint = null;
                if (session is not null) await session.RunAsync().ConfigureAwait(false);
                return;
            }

            if (endpoint?.Http is null)
            {
                if (endpoint?.WebSocket is not null)
                    Respond(426, "Upgrade Required: this endpoint speaks WebSocket", keepAlive: false, [new("Upgrade", "websocket"), new("Sec-WebSocket-Version", "13")]);
                else
                    Respond(404, "Not Found", keepAlive: false);
                return;
            }

            var body = await ReadBodyAsync(input, head).ConfigureAwait(false);
            if (body is null) return;

            HttpResponse response;
            try
            {
                response = await endpoint.Http(new HttpRequest(head, body.Value, connection)).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                logger.LogError(ex, "HTTP handler for {Path} failed", head.Path);
                response = HttpResponse.Text(500, "Internal Server Error");
            }
            bool keepAlive = head.KeepAlive && !connection.IsClosed;
            Write(response, keepAlive);
            if (!keepAlive) return;
            timeout = options.KeepAliveTimeout;
        }
    }

    private async ValueTask<HttpRequestHead?> ReadHeadAsync(PipeReader input)
    {
        while (true)
        {
            var result = await input.ReadAsync().ConfigureAwait(false);
            var buffer = result.Buffer;
            var status = HttpRequestHeadParser.TryParse(ref buffer, options.Http, out var head, out int statusCode, out string? reason);
            if (status == HttpParseStatus.Complete)
            {
                input.AdvanceTo(buffer.Start);
                return head;
            }
            if (status == HttpParseStatus.Error)
            {
                input.AdvanceTo(result.Buffer.End);
                Respond(statusCode, reason ?? HttpResponseWriter.ReasonPhrase(statusCode), keepAlive: false);
                return null;
            }
            input.AdvanceTo(buffer.Start, buffer.End);
            if (result.IsCompleted || result.IsCanceled) return null;
        }
    }

    // Bodies are copied out as they arrive, so the receive pipe never has to hold a whole body.
    private async ValueTask<ReadOnlyMemory<byte>?> ReadBodyAsync(PipeReader input, HttpRequestHead head)
    {
        if (head.IsChunked)
        {
            Respond(411, "Length Required: send a Content-Length", keepAlive: false);
            return null;
        }
        long length = head.ContentLength ?? 0;
        if (length == 0) return ReadOnlyMemory<byte>.Empty;
        if (length > options.Http.MaxBodyBytes)
        {
            Respond(413, "Content Too Large", keepAlive: false);
            return null;
        }

        connection.ScheduleTimer(options.Http.HeaderTimeout);
        var body = new byte[length];
        int filled = 0;
        while (filled < body.Length)
        {
            var result = await input.ReadAsync().ConfigureAwait(false);
            var buffer = result.Buffer;
            int take = (int)Math.Min(buffer.Length, body.Length - filled);
            buffer.Slice(0, take).CopyTo(body.AsSpan(filled));
            filled += take;
            input.AdvanceTo(buffer.GetPosition(take));
            if (filled < body.Length && (result.IsCompleted || result.IsCanceled)) return null;
        }
        connection.CancelTimer();
        return body;
    }

    private WebSocketSession? TryUpgrade(HttpRequestHead head, IWebSocketApplication? application)
    {
        if (application is null)
        {
            connection.Metrics.HandshakeFailed();
            Respond(404, "Not Found", keepAlive: false);
            return null;
        }
        var result = WebSocketHandshake.Validate(head, options.Handshake);
        var output = new ArrayBufferWriter<byte>(256);
        if (!result.Success)
        {
            connection.Metrics.HandshakeFailed();
            WebSocketHandshake.WriteRejection(output, result);
            connection.Send(output.WrittenSpan);
            return null;
        }
        if (application.Authorize(head) is int refusal)
        {
            connection.Metrics.HandshakeFailed();
            Respond(refusal, HttpResponseWriter.ReasonPhrase(refusal), keepAlive: false);
            return null;
        }

        WebSocketHandshake.WriteUpgradeResponse(output, result);
        connection.Send(output.WrittenSpan);
        connection.Metrics.HandshakeSucceeded();
        var session = new WebSocketSession(connection, application, options, result.Subprotocol);
        session.Open(head);
        return session;
    }

    private void Respond(int statusCode, string text, bool keepAlive, KeyValuePair<string, string>[]? headers = null) =>
        Write(HttpResponse.Text(statusCode, text) with { Headers = headers }, keepAlive);

    private void Write(HttpResponse response, bool keepAlive)
    {
        var output = new ArrayBufferWriter<byte>(256 + response.Body.Length);
        HttpResponseWriter.WriteResponse(output, response.StatusCode, response.Body.Span, response.ContentType, keepAlive, response.Headers);
        connection.Send(output.WrittenSpan);
    }

    public void OnTimer(Connection connection) => connection.Abort(ConnectionEndReason.Timeout);

    public void OnShutdownRequested(Connection connection) => connection.Abort(ConnectionEndReason.ServerShutdown);
}
