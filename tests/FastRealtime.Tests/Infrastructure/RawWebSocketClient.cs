using System.Buffers;
using System.Net;
using System.Net.Sockets;
using System.Text;
using FastRealtime.Transport.Http;
using FastRealtime.Transport.WebSockets;

namespace FastRealtime.Tests.Infrastructure;

/// <summary>What the test client saw arrive: a message, a control frame, or the TCP connection ending.</summary>
public sealed record ReceivedEvent(ReceivedEventType Type, byte[] Payload, WebSocketMessageKind Kind = WebSocketMessageKind.Binary, ushort CloseCode = 0)
{
    public string Text => Encoding.UTF8.GetString(Payload);
}

public enum ReceivedEventType { Message, Ping, Pong, Close, TcpClosed, ProtocolError }

/// <summary>
/// A byte-level WebSocket client for conformance and abuse tests: it sends exactly the bytes a test asks for
/// (bad frames included) and reports every message, control frame and TCP close it receives.
/// Built on the client role of the project's own framer, so frames received are checked as strictly as we check.
/// </summary>
public sealed class RawWebSocketClient : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly WebSocketFrameReader _reader = new(WebSocketRole.Client, new WebSocketLimits { MaxMessageSize = 64 * 1024 * 1024, MaxFrameSize = 64 * 1024 * 1024 });
    private readonly Queue<ReceivedEvent> _events = new();
    private byte[] _buffer = new byte[64 * 1024];
    private int _buffered;
    private bool _tcpClosed;
    private int _disposed;

    private RawWebSocketClient(Socket socket) => _socket = socket;

    public Socket Socket => _socket;

    public static async Task<Socket> ConnectTcpAsync(IPEndPoint endPoint)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(endPoint);
        return socket;
    }

    /// <summary>Connects and completes the opening handshake; throws if the server refuses.</summary>
    public static async Task<RawWebSocketClient> ConnectAsync(IPEndPoint endPoint, string path = "/echo", IEnumerable<KeyValuePair<string, string>>? headers = null)
    {
        var socket = await ConnectTcpAsync(endPoint);
        var client = new RawWebSocketClient(socket);
        string key = WebSocketHandshake.CreateClientKey();
        var request = new ArrayBufferWriter<byte>();
        WebSocketHandshake.WriteClientRequest(request, $"127.0.0.1:{endPoint.Port}", path, key, headers);
        await socket.SendAsync(request.WrittenMemory);
        var response = await client.ReadResponseHeadAsync(TimeSpan.FromSeconds(10));
        if (!WebSocketHandshake.ValidateServerResponse(response, key, out string? error))
            throw new InvalidOperationException($"Handshake refused: {response.StatusCode} {error}");
        return client;
    }

    private async Task<HttpResponseHead> ReadResponseHeadAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        while (true)
        {
            var sequence = new ReadOnlySequence<byte>(_buffer, 0, _buffered);
            var status = HttpResponseHeadParser.TryParse(ref sequence, new HttpLimits(), out var head, out string? error);
            if (status == HttpParseStatus.Complete)
            {
                Consume(_buffered - (int)sequence.Length);
                return head!;
            }
            if (status == HttpParseStatus.Error) throw new InvalidOperationException($"Bad response head: {error}");
            if (!await FillAsync(cts.Token)) throw new InvalidOperationException("Connection closed during the handshake");
        }
    }

    public async Task SendRawAsync(byte[] bytes) => await _socket.SendAsync(bytes, SocketFlags.None);

    /// <summary>Sends one masked frame (as a client must), optionally with reserved bits or no FIN.</summary>
    public Task SendFrameAsync(WebSocketOpcode opcode, ReadOnlySpan<byte> payload, bool fin = true, byte rsv = 0, bool masked = true) =>
        SendRawAsync(BuildFrame(opcode, payload, fin, rsv, masked));

    public static byte[] BuildFrame(WebSocketOpcode opcode, ReadOnlySpan<byte> payload, bool fin = true, byte rsv = 0, bool masked = true)
    {
        var frame = new byte[WebSocketFrameWriter.GetFrameSize(payload.Length, masked)];
        WebSocketFrameWriter.WriteFrame(frame, opcode, payload, fin, masked, masked ? WebSocketMaskKeys.Next() : 0);
        frame[0] |= (byte)((rsv & 0x7) << 4);
        return frame;
    }

    public Task SendTextAsync(string text) => SendFrameAsync(WebSocketOpcode.Text, Encoding.UTF8.GetBytes(text));

    public Task SendCloseAsync(ushort code, string reason = "")
    {
        var frame = new byte[WebSocketFrameWriter.MaxHeaderSize + 2 + Encoding.UTF8.GetByteCount(reason)];
        int written = WebSocketFrameWriter.WriteClose(frame, code, Encoding.UTF8.GetBytes(reason), masked: true, maskKey: WebSocketMaskKeys.Next());
        return SendRawAsync(frame[..written]);
    }

    /// <summary>The next event; a TcpClosed event once the server has closed the connection.</summary>
    public async Task<ReceivedEvent> ReceiveAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
        while (true)
        {
            if (_events.TryDequeue(out var next)) return next;
            if (_tcpClosed) return new ReceivedEvent(ReceivedEventType.TcpClosed, []);
            var sequence = new ReadOnlySequence<byte>(_buffer, 0, _buffered);
            long before = sequence.Length;
            var collector = new Collector(_events);
            var error = _reader.Read(ref sequence, ref collector);
            Consume((int)(before - sequence.Length));
            if (error != FrameError.None) return new ReceivedEvent(ReceivedEventType.ProtocolError, [], CloseCode: error.ToCloseCode());
            if (_events.Count > 0) continue;
            if (!await FillAsync(cts.Token)) _tcpClosed = true;
        }
    }

    /// <summary>Skips messages and control frames until the close frame; returns its code (0 if the TCP connection ended first).</summary>
    public async Task<ushort> ReceiveCloseAsync(TimeSpan? timeout = null)
    {
        while (true)
        {
            var e = await ReceiveAsync(timeout);
            if (e.Type == ReceivedEventType.Close) return e.CloseCode;
            if (e.Type is ReceivedEventType.TcpClosed or ReceivedEventType.ProtocolError) return 0;
        }
    }

    /// <summary>True when the server closes the TCP connection within the timeout (anything received meanwhile is skipped).</summary>
    public async Task<bool> WaitForTcpCloseAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            while (await FillAsync(cts.Token)) _buffered = 0;
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private async Task<bool> FillAsync(CancellationToken cancellationToken)
    {
        if (_buffered == _buffer.Length) Array.Resize(ref _buffer, _buffer.Length * 2);
        try
        {
            int read = await _socket.ReceiveAsync(_buffer.AsMemory(_buffered), SocketFlags.None, cancellationToken);
            _buffered += read;
            return read > 0;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private void Consume(int count)
    {
        Buffer.BlockCopy(_buffer, count, _buffer, 0, _buffered - count);
        _buffered -= count;
    }

    /// <summary>Closes the socket (a FIN, so the server's lingering close ends at once); safe to call twice.</summary>
    public ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return ValueTask.CompletedTask;
        _reader.Dispose();
        _socket.Dispose();
        return ValueTask.CompletedTask;
    }

    private readonly struct Collector(Queue<ReceivedEvent> events) : IWebSocketFrameHandler
    {
        public void OnMessage(WebSocketMessageKind kind, in ReadOnlySequence<byte> payload) =>
            events.Enqueue(new ReceivedEvent(ReceivedEventType.Message, payload.ToArray(), kind));

        public void OnPing(in ReadOnlySequence<byte> payload) => events.Enqueue(new ReceivedEvent(ReceivedEventType.Ping, payload.ToArray()));

        public void OnPong(in ReadOnlySequence<byte> payload) => events.Enqueue(new ReceivedEvent(ReceivedEventType.Pong, payload.ToArray()));

        public void OnClose(ushort code, in ReadOnlySequence<byte> reason) =>
            events.Enqueue(new ReceivedEvent(ReceivedEventType.Close, reason.ToArray(), CloseCode: code));
    }
}
