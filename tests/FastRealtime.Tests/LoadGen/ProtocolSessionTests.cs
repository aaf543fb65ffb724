using System.Buffers;
using System.Text;
using FastRealtime.LoadGen.Net;
using FastRealtime.LoadGen.Sessions;
using FastRealtime.Transport.WebSockets;

namespace FastRealtime.Tests.LoadGen;

/// <summary>The socketio and signalr session openings and keep-alives, driven message by message over a fake connection.</summary>
public class ProtocolSessionTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task OpenAsync_SocketIoNamespaceAuthAndRoom_ConnectThenJoinThenOpen()
    {
        var wire = new FakeConnection();
        var session = new SocketIoSession(wire, Frame(SocketIoSession.ConnectPacket("/chat", "{\"token\":\"t\"}")), Frame(SocketIoSession.JoinPacket("/chat", "room-0")));

        Task<string?> open = session.OpenAsync(false, Timeout, CancellationToken.None);
        Assert.Empty(wire.Sent);                                      // Engine.IO: the server speaks first
        wire.Receive("0{\"sid\":\"e\",\"upgrades\":[],\"pingInterval\":25000,\"pingTimeout\":20000,\"maxPayload\":1000000}");
        Assert.Equal(["40/chat,{\"token\":\"t\"}"], wire.Sent);
        wire.Receive("40/chat,{\"sid\":\"s\"}");
        Assert.Equal("42/chat,1[\"join\",\"room-0\"]", wire.Sent[^1]);
        Assert.False(open.IsCompleted);
        wire.Receive("43/chat,1[\"ok\"]");

        Assert.Null(await open.WaitAsync(Timeout));
    }

    [Fact]
    public async Task RunAsync_SocketIoMessagesBeforeAndAfterAttach_InOrderWithPingsAnswered()
    {
        var wire = new FakeConnection();
        var session = new SocketIoSession(wire, Frame("40"), null);
        Task<string?> open = session.OpenAsync(false, Timeout, CancellationToken.None);
        wire.Receive("0{\"sid\":\"e\"}");
        wire.Receive("40{\"sid\":\"s\"}");
        Assert.Null(await open.WaitAsync(Timeout));

        wire.Receive("42[\"broadcast\",\"a\"]");
        wire.Receive("2");
        var app = new RecordingListener();
        _ = session.RunAsync(app, false);
        wire.Receive("431[\"b\"]");
        wire.Receive("2");

        Assert.Equal(["42[\"broadcast\",\"a\"]", "431[\"b\"]"], app.Messages);
        Assert.Equal(["40", "3", "3"], wire.Sent);
    }

    [Fact]
    public async Task OpenAsync_SocketIoConnectError_FailsWithKind()
    {
        var wire = new FakeConnection();
        var session = new SocketIoSession(wire, Frame("40"), null);
        Task<string?> open = session.OpenAsync(false, Timeout, CancellationToken.None);
        wire.Receive("0{\"sid\":\"e\"}");
        wire.Receive("44{\"message\":\"Invalid namespace\"}");

        Assert.Equal("socketio-connect-error", await open.WaitAsync(Timeout));
    }

    [Fact]
    public async Task OpenAsync_SocketIoJoinNeverAcked_TimeoutNamesTheJoin()
    {
        var wire = new FakeConnection();
        var session = new SocketIoSession(wire, Frame("40"), Frame(SocketIoSession.JoinPacket("/", "room-0")));
        Task<string?> open = session.OpenAsync(false, TimeSpan.FromMilliseconds(200), CancellationToken.None);
        wire.Receive("0{\"sid\":\"e\"}");
        wire.Receive("40{\"sid\":\"s\"}");

        Assert.Equal("socketio-join-timeout", await open.WaitAsync(Timeout));
    }

    [Fact]
    public async Task OpenAsync_SignalRWithRoom_HandshakeThenJoinCompletion()
    {
        var wire = new FakeConnection();
        var session = new SignalRSession(wire, Frame(SignalRSession.JoinRecord("room-2")));

        Task<string?> open = session.OpenAsync(false, Timeout, CancellationToken.None);
        Assert.Equal(["{\"protocol\":\"json\",\"version\":1}\u001e"], wire.Sent);
        wire.Receive("{}\u001e");
        Assert.Equal("{\"type\":1,\"invocationId\":\"0\",\"target\":\"Join\",\"arguments\":[\"room-2\"]}\u001e", wire.Sent[^1]);
        wire.Receive("{\"type\":3,\"invocationId\":\"0\",\"result\":null}\u001e");

        Assert.Null(await open.WaitAsync(Timeout));
    }

    [Fact]
    public async Task OpenAsync_SignalRHandshakeError_FailsWithKind()
    {
        var wire = new FakeConnection();
        var session = new SignalRSession(wire, null);
        Task<string?> open = session.OpenAsync(false, Timeout, CancellationToken.None);
        wire.Receive("{\"error\":\"Requested protocol 'json' is not available.\"}\u001e");

        Assert.Equal("signalr-handshake-error", await open.WaitAsync(Timeout));
    }

    [Fact]
    public async Task RunAsync_SignalRSeveralRecordsInOneMessage_InvocationsDeliveredPingAnswered()
    {
        (FakeConnection wire, RecordingListener app) = await OpenSignalRAsync();

        wire.Receive("{\"type\":6}\u001e{\"type\":1,\"target\":\"broadcast\",\"arguments\":[\"a\"]}\u001e{\"type\":1,\"target\":\"echo\",\"arguments\":[\"b\"]}\u001e");

        Assert.Equal(["{\"type\":1,\"target\":\"broadcast\",\"arguments\":[\"a\"]}", "{\"type\":1,\"target\":\"echo\",\"arguments\":[\"b\"]}"], app.Messages);
        Assert.Equal("{\"type\":6}\u001e", wire.Sent[^1]);
    }

    [Fact]
    public async Task RunAsync_SignalRRecordsSplitAcrossMessagesAtEveryByte_EachDeliveredWhole()
    {
        const string first = "{\"type\":1,\"target\":\"broadcast\",\"arguments\":[\"a\"]}";
        const string second = "{\"type\":1,\"target\":\"broadcast\",\"arguments\":[\"bb\"]}";
        string stream = first + "\u001e" + second + "\u001e";
        for (int cut = 1; cut < stream.Length; cut++)
        {
            (FakeConnection wire, RecordingListener app) = await OpenSignalRAsync();

            wire.Receive(stream[..cut]);
            wire.Receive(stream[cut..]);
            wire.Receive(first + "\u001e");

            Assert.Equal([first, second, first], app.Messages);
        }
    }

    private static async Task<(FakeConnection, RecordingListener)> OpenSignalRAsync()
    {
        var wire = new FakeConnection();
        var session = new SignalRSession(wire, null);
        Task<string?> open = session.OpenAsync(false, Timeout, CancellationToken.None);
        wire.Receive("{}\u001e");
        Assert.Null(await open.WaitAsync(Timeout));
        var app = new RecordingListener();
        _ = session.RunAsync(app, false);
        return (wire, app);
    }

    private static byte[] Frame(string text) => SessionConnection.MaskedTextFrame(Encoding.UTF8.GetBytes(text));

    private sealed class RecordingListener : IConnectionListener
    {
        public List<string> Messages { get; } = [];

        public void OnMessage(WebSocketMessageKind kind, in ReadOnlySequence<byte> payload) => Messages.Add(Encoding.UTF8.GetString(payload.ToArray()));

        public void OnBatchEnd() { }
    }

    /// <summary>Records the payloads of the masked frames sent (one short frame per send) and feeds messages in.</summary>
    private sealed class FakeConnection : IClientConnection
    {
        private readonly TaskCompletionSource<ConnectionEnd> _ended = new();
        private IConnectionListener? _listener;

        public List<string> Sent { get; } = [];
        public ConnectionEnd End => ConnectionEnd.None;

        public Task<ConnectionEnd> RunAsync(IConnectionListener listener, bool releaseBufferWhenIdle)
        {
            _listener = listener;
            return _ended.Task;
        }

        public void Receive(string text)
        {
            _listener!.OnMessage(WebSocketMessageKind.Text, new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes(text)));
            _listener.OnBatchEnd();
        }

        public bool Send(ReadOnlySpan<byte> frames)
        {
            // 0x81 (FIN + text), then MASK bit + 7-bit length (all test frames < 126 bytes), 4 mask bytes, payload.
            Assert.Equal(0x81, frames[0]);
            int length = frames[1] & 0x7F;
            Assert.True((frames[1] & 0x80) != 0 && length < 126 && frames.Length == 6 + length);
            var payload = frames.Slice(6, length).ToArray();
            for (int i = 0; i < payload.Length; i++) payload[i] ^= frames[2 + i % 4];
            Sent.Add(Encoding.UTF8.GetString(payload));
            return true;
        }

        public Task CloseAsync() => Task.CompletedTask;

        public void Abort() { }
    }
}
