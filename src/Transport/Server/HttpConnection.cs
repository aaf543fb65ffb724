using System.Buffers;
using FastRealtime.Core.Connections;
using FastRealtime.Transport.Http;
using FastRealtime.Transport.WebSockets;
using Microsoft.Extensions.Logging;

namespace FastRealtime.Transport.Server;

/// <summary>
/// The HTTP/1.1 side of one connection: reads request heads under the header timeout, routes them, answers plain
/// requests (keep-alive, pipelining), and hands an accepted WebSocket upgrade over to a <see cref="WebSocketSession"/>.
/// </summary>
/// <remarks>
/// A resumable state machine driven by <see cref="OnData"/>. While an asynchronous handler runs, reading is paused;
/// bytes of a pipelined next request wait in the connection until the response is written.
/// </remarks>
internal sealed class HttpConnection : IConnectionProtocol
{
    private enum State : byte { ReadingHead, ReadingBody, Handling }

    private readonly Connection _connection;
    private readonly EndpointRouter _router;
    private readonly WebSocketServerOptions _options;
    private readonly ILogger _logger;
    private State _state;
    private HttpRequestHead? _head;
    private HttpRequestHandler? _handler;
    private byte[]? _body;
    private int _bodyFilled;

    public HttpConnection(Connection connection, EndpointRouter router, WebSocketServerOptions options, ILogger logger)
    {
        _connection = connection;
        _router = router;
        _options = options;
        _logger = logger;
        connection.Protocol = this;
        // Slowloris defence: the whole head must arrive within the timeout, however it trickles in.
        connection.ScheduleTimer(options.Http.HeaderTimeout);
    }

    public void OnData(Connection connection, ref ReadOnlySequence<byte> buffer)
    {
        while (!buffer.IsEmpty && connection.Protocol == this && !connection.IsClosing)
        {
            switch (_state)
            {
                case State.ReadingHead:
                    if (!TryReadHead(ref buffer)) return;
                    break;
                case State.ReadingBody:
                    if (!TryReadBody(ref buffer)) return;
                    Dispatch();
                    break;
                default:
                    return; // a handler is running; reading is paused
            }
        }
    }

    private bool TryReadHead(ref ReadOnlySequence<byte> buffer)
    {
        var status = HttpRequestHeadParser.TryParse(ref buffer, _options.Http, out var head, out int statusCode, out string? reason);
        if (status == HttpParseStatus.Incomplete) return false;
        if (status == HttpParseStatus.Error)
        {
            buffer = buffer.Slice(buffer.End);
            RespondAndClose(statusCode, reason ?? HttpResponseWriter.ReasonPhrase(statusCode));
            return false;
        }

        _connection.CancelTimer();
        var endpoint = _router.Find(head!.Path);
        if (WebSocketHandshake.IsUpgradeRequest(head))
        {
            Upgrade(head, endpoint?.WebSocket);
            return false; // the rest of the buffer belongs to the WebSocket session, if any
        }
        if (endpoint?.Http is null)
        {
            if (endpoint?.WebSocket is not null)
                RespondAndClose(426, "Upgrade Required: this endpoint speaks WebSocket", [new("Upgrade", "websocket"), new("Sec-WebSocket-Version", "13")]);
            else
                RespondAndClose(404, "Not Found");
            return false;
        }

        if (head.IsChunked)
        {
            RespondAndClose(411, "Length Required: send a Content-Length");
            return false;
        }
        long length = head.ContentLength ?? 0;
        if (length > _options.Http.MaxBodyBytes)
        {
            RespondAndClose(413, "Content Too Large");
            return false;
        }
        _head = head;
        _handler = endpoint.Http;
        if (length == 0)
        {
            Dispatch();
            return true;
        }
        _body = new byte[length];
        _bodyFilled = 0;
        _state = State.ReadingBody;
        _connection.ScheduleTimer(_options.Http.HeaderTimeout);
        return true;
    }

    // Bodies are copied out as they arrive, so the connection never has to keep a whole body unconsumed.
    private bool TryReadBody(ref ReadOnlySequence<byte> buffer)
    {
        int take = (int)Math.Min(buffer.Length, _body!.Length - _bodyFilled);
        buffer.Slice(0, take).CopyTo(_body.AsSpan(_bodyFilled));
        buffer = buffer.Slice(take);
        _bodyFilled += take;
        if (_bodyFilled < _body.Length) return false;
        _connection.CancelTimer();
        return true;
    }

    private void Dispatch()
    {
        var request = new HttpRequest(_head!, _body ?? ReadOnlyMemory<byte>.Empty, _connection);
        bool keepAlive = _head!.KeepAlive;
        var handler = _handler!;
        _head = null;
        _handler = null;
        _body = null;
        _state = State.Handling;

        ValueTask<HttpResponse> pending;
        try
        {
            pending = handler(request);
        }
        catch (Exception ex)
        {
            pending = ValueTask.FromResult(Failed(ex, request));
        }
        if (pending.IsCompletedSuccessfully)
        {
            Complete(pending.Result, keepAlive);
            return;
        }
        _connection.PauseReceiving();
        _ = CompleteLaterAsync(pending, request, keepAlive);
    }

    private async Task CompleteLaterAsync(ValueTask<HttpResponse> pending, HttpRequest request, bool keepAlive)
    {
        HttpResponse response;
        try
        {
            response = await pending.ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            response = Failed(ex, request);
        }
        Complete(response, keepAlive);
        _connection.ResumeReceiving();
    }

    private HttpResponse Failed(Exception ex, HttpRequest request)
    {
        _logger.LogError(ex, "HTTP handler for {Path} failed", request.Path);
        return HttpResponse.Text(500, "Internal Server Error");
    }

    private void Complete(HttpResponse response, bool keepAlive)
    {
        keepAlive &= !_connection.IsClosing;
        Write(response, keepAlive);
        if (!keepAlive)
        {
            _connection.Close();
            return;
        }
        _state = State.ReadingHead;
        _connection.ScheduleTimer(_options.KeepAliveTimeout);
    }

    private void Upgrade(HttpRequestHead head, IWebSocketApplication? application)
    {
        if (application is null)
        {
            _connection.Metrics.HandshakeFailed();
            RespondAndClose(404, "Not Found");
            return;
        }
        var result = WebSocketHandshake.Validate(head, _options.Handshake);
        var output = ResponseWriter();
        if (!result.Success)
        {
            _connection.Metrics.HandshakeFailed();
            WebSocketHandshake.WriteRejection(output, result);
            _connection.Send(output.WrittenSpan);
            _connection.Close();
            return;
        }
        if (application.AuthorizeUpgrade(head) is { } refusal)
        {
            _connection.Metrics.HandshakeFailed();
            Write(refusal, keepAlive: false);
            _connection.Close();
            return;
        }

        WebSocketHandshake.WriteUpgradeResponse(output, result);
        _connection.Send(output.WrittenSpan);
        _connection.Metrics.HandshakeSucceeded();
        // The session takes over the connection; the request head is not kept (idle memory).
        new WebSocketSession(_connection, application, _options, result.Subprotocol).Open(head);
    }

    private void RespondAndClose(int statusCode, string text, KeyValuePair<string, string>[]? headers = null)
    {
        Write(HttpResponse.Text(statusCode, text) with { Headers = headers }, keepAlive: false);
        _connection.Close();
    }

    private void Write(HttpResponse response, bool keepAlive)
    {
        var output = ResponseWriter();
        HttpResponseWriter.WriteResponse(output, response.StatusCode, response.Body.Span, response.ContentType, keepAlive, response.Headers);
        _connection.Send(output.WrittenSpan);
    }

    // Responses are built in a per-thread buffer and copied into the connection's queue: a connection storm
    // leaves no garbage per handshake here (idle memory depends on how little each handshake leaves behind).
    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_responseWriter;

    private static ArrayBufferWriter<byte> ResponseWriter()
    {
        var writer = t_responseWriter ??= new ArrayBufferWriter<byte>(1024);
        writer.ResetWrittenCount();
        return writer;
    }

    public void OnTimer(Connection connection) => connection.Abort(ConnectionEndReason.Timeout);

    public void OnShutdownRequested(Connection connection) => connection.Abort(ConnectionEndReason.ServerShutdown);

    public void OnClosed(Connection connection) { }
}
