using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using FastRealtime.Transport.Http;
using FastRealtime.Transport.WebSockets;

namespace FastRealtime.Tests.LoadGen;

/// <summary>
/// A test-local WebSocket server on 127.0.0.1: Transport's request parser and handshake, then .NET's own
/// ManagedWebSocket (an implementation independent of our framer) for the frames. /echo echoes every message;
/// /broadcast?room=NAME delivers every message to every member of the room, sender included.
/// The loadgen tests use it where the real server has no equivalent yet (/broadcast) or where they need a server
/// that misbehaves on cue (a stall).
/// </summary>
internal sealed class TestWebSocketServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<WebSocket, SemaphoreSlim>> _rooms = new();
    private readonly ConcurrentBag<Task> _connections = [];
    private readonly Task _acceptLoop;
    private int _echoed;

    /// <param name="stallAtMessage">Echo: the 1-based message after which the whole server stalls once.</param>
    public TestWebSocketServer(int stallAtMessage = 0, TimeSpan stall = default, TimeSpan keepAlivePing = default)
    {
        StallAtMessage = stallAtMessage;
        Stall = stall;
        KeepAlivePing = keepAlivePing;
        _listener.Start();
        _acceptLoop = AcceptLoopAsync();
    }

    public int StallAtMessage { get; }
    public TimeSpan Stall { get; }
    public TimeSpan KeepAlivePing { get; }
    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;
    public Uri Url(string path) => new($"ws://127.0.0.1:{Port}{path}");

    private async Task AcceptLoopAsync()
    {
        try
        {
            while (true)
            {
                Socket socket = await _listener.AcceptSocketAsync(_stop.Token);
                _connections.Add(Task.Run(() => ServeAsync(socket)));
            }
        }
        catch (OperationCanceledException) { }
        catch (SocketException) { }
    }

    private async Task ServeAsync(Socket socket)
    {
        socket.NoDelay = true;
        await using var stream = new NetworkStream(socket, ownsSocket: true);
        HttpRequestHead? head = await ReadHeadAsync(stream);
        if (head is null) return;
        WebSocketHandshakeResult result = WebSocketHandshake.Validate(head, new WebSocketHandshakeOptions());
        var response = new ArrayBufferWriter<byte>();
        if (!result.Success)
        {
            WebSocketHandshake.WriteRejection(response, result);
            await stream.WriteAsync(response.WrittenMemory);
            return;
        }
        WebSocketHandshake.WriteUpgradeResponse(response, result);
        await stream.WriteAsync(response.WrittenMemory);
        using WebSocket ws = WebSocket.CreateFromStream(stream, new WebSocketCreationOptions
        {
            IsServer = true,
            KeepAliveInterval = KeepAlivePing,
            KeepAliveTimeout = KeepAlivePing == default ? Timeout.InfiniteTimeSpan : KeepAlivePing * 4,
        });
        try
        {
            if (head.Path == "/broadcast") await BroadcastAsync(ws, head.QueryString);
            else await EchoAsync(ws);
        }
        catch (Exception e) when (e is WebSocketException or IOException or OperationCanceledException or ObjectDisposedException) { }
    }

    private async Task EchoAsync(WebSocket ws)
    {
        var buffer = new byte[1 << 16];
        while (true)
        {
            var (type, length) = await ReceiveMessageAsync(ws, buffer);
            if (type == WebSocketMessageType.Close) return;
            if (Interlocked.Increment(ref _echoed) == StallAtMessage) await Task.Delay(Stall);
            await ws.SendAsync(buffer.AsMemory(0, length), type, true, _stop.Token);
        }
    }

    private async Task BroadcastAsync(WebSocket ws, string query)
    {
        string room = query.Split('&').Select(p => p.Split('=')).Where(p => p[0] == "room" && p.Length == 2).Select(p => p[1]).FirstOrDefault() ?? "";
        var members = _rooms.GetOrAdd(room, _ => new ConcurrentDictionary<WebSocket, SemaphoreSlim>());
        members[ws] = new SemaphoreSlim(1, 1);
        var buffer = new byte[1 << 16];
        try
        {
            while (true)
            {
                var (type, length) = await ReceiveMessageAsync(ws, buffer);
                if (type == WebSocketMessageType.Close) return;
                foreach (var (member, sendLock) in members)
                {
                    await sendLock.WaitAsync();
                    try { await member.SendAsync(buffer.AsMemory(0, length), type, true, _stop.Token); }
                    catch (Exception e) when (e is WebSocketException or IOException or ObjectDisposedException) { }
                    finally { sendLock.Release(); }
                }
            }
        }
        finally
        {
            members.TryRemove(ws, out _);
        }
    }

    private async Task<(WebSocketMessageType Type, int Length)> ReceiveMessageAsync(WebSocket ws, byte[] buffer)
    {
        int length = 0;
        while (true)
        {
            ValueWebSocketReceiveResult r = await ws.ReceiveAsync(buffer.AsMemory(length), _stop.Token);
            if (r.MessageType == WebSocketMessageType.Close)
            {
                await ws.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
                return (r.MessageType, 0);
            }
            length += r.Count;
            if (r.EndOfMessage) return (r.MessageType, length);
        }
    }

    private async Task<HttpRequestHead?> ReadHeadAsync(NetworkStream stream)
    {
        var buffer = new byte[8192];
        int filled = 0;
        while (filled < buffer.Length)
        {
            int read = await stream.ReadAsync(buffer.AsMemory(filled), _stop.Token);
            if (read == 0) return null;
            filled += read;
            var sequence = new ReadOnlySequence<byte>(buffer, 0, filled);
            HttpParseStatus status = HttpRequestHeadParser.TryParse(ref sequence, new HttpLimits(), out HttpRequestHead? head, out _, out _);
            if (status == HttpParseStatus.Complete) return sequence.Length == 0 ? head : null; // clients wait for the 101
            if (status == HttpParseStatus.Error) return null;
        }
        return null;
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Stop();
        await _acceptLoop;
        await Task.WhenAll(_connections.ToArray()).WaitAsync(TimeSpan.FromSeconds(10));
    }
}
