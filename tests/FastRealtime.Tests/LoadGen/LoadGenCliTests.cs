using FastRealtime.LoadGen.Cli;
using FastRealtime.LoadGen.Options;

namespace FastRealtime.Tests.LoadGen;

public class LoadGenCliTests
{
    private static (CliRequest? Request, List<string> Errors) Parse(string line) => LoadGenCli.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries));

    [Fact]
    public void Parse_FullEchoCommand_BindsEveryOption()
    {
        var (request, errors) = Parse("echo --url ws://127.0.0.1:3000/echo --connections 100 --duration 10s --warmup 2s --size 256 --binary --window 4 --rate 5000 --json out.json --html out.html --quiet --slo p99=50ms,p99.9=200ms --source-ips 127.0.0.1-127.0.0.4");

        Assert.Empty(errors);
        Assert.NotNull(request);
        Assert.Equal("echo", request.Scenario);
        LoadOptions o = request.Options;
        Assert.Equal(100, o.Connections);
        Assert.Equal(TimeSpan.FromSeconds(10), o.Duration);
        Assert.Equal(TimeSpan.FromSeconds(2), o.Warmup);
        Assert.Equal(256, o.Size);
        Assert.True(o.Binary);
        Assert.Equal(4, o.Window);
        Assert.Equal(5000, o.Rate);
        Assert.Equal([new SloTarget(99, TimeSpan.FromMilliseconds(50)), new SloTarget(99.9, TimeSpan.FromMilliseconds(200))], o.Slo);
        Assert.Equal(4, o.SourceAddresses.Count);
        Assert.Equal("127.0.0.4", o.SourceAddresses[3].ToString());
        Assert.Equal(("out.json", "out.html", true), (request.JsonFile, request.HtmlFile, request.Quiet));
    }

    [Theory]
    [InlineData("socketio", LoadProtocolKind.SocketIo)]
    [InlineData("signalr", LoadProtocolKind.SignalR)]
    [InlineData("SocketIO", LoadProtocolKind.SocketIo)]
    public void Parse_PeerProtocols_BindProtocolEventNamespaceAndAuth(string name, LoadProtocolKind expected)
    {
        var (request, errors) = Parse($"echo --url ws://127.0.0.1:3000/socket.io/?EIO=4&transport=websocket --protocol {name} --event identity --namespace /chat --auth {{\"token\":\"t\"}} -d 1s");

        Assert.Empty(errors);
        LoadOptions o = request!.Options;
        Assert.Equal((expected, "identity", "/chat", "{\"token\":\"t\"}"), (o.Protocol, o.EchoEvent, o.Namespace, o.Auth));
    }

    [Fact]
    public void Parse_PeerProtocolDefaults_EchoEventOnMainNamespaceWithoutAuth()
    {
        LoadOptions o = Parse("echo --url ws://127.0.0.1:3000/hub --protocol signalr -d 1s").Request!.Options;

        Assert.Equal(("echo", "/", (string?)null), (o.EchoEvent, o.Namespace, o.Auth));
    }

    [Theory]
    [InlineData("--protocol socketio --auth [1]", "--auth")]
    [InlineData("--protocol socketio --auth {", "--auth")]
    [InlineData("--protocol socketio --namespace chat", "--namespace")]
    [InlineData("--protocol socketio --namespace /a,b", "--namespace")]
    [InlineData("--protocol signalr --binary", "--binary")]
    [InlineData("--protocol json --event a\"b", "--event")]
    [InlineData("--protocol stomp", "--protocol")]
    public void Parse_BadPeerProtocolOptions_AreRejected(string extra, string named)
    {
        var (request, errors) = Parse("echo --url ws://127.0.0.1:3000/x -d 1s " + extra);

        Assert.Null(request);
        Assert.Contains(errors, e => e.Contains(named, StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_NeitherDurationNorMessages_IsRejected()
    {
        var (request, errors) = Parse("echo --url ws://127.0.0.1:3000/echo");

        Assert.Null(request);
        Assert.Contains(errors, e => e.Contains("--duration", StringComparison.Ordinal) && e.Contains("--messages", StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_BothDurationAndMessages_IsRejected()
    {
        var (request, errors) = Parse("echo --url ws://127.0.0.1:3000/echo --duration 5s --messages 10");

        Assert.Null(request);
        Assert.Contains(errors, e => e.Contains("not both", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("ws://127.0.0.1:3000/echo")]
    [InlineData("ws://127.5.6.7:3000/echo")]
    [InlineData("ws://localhost:3000/echo")]
    [InlineData("ws://[::1]:3000/echo")]
    public void Parse_LoopbackTarget_IsAccepted(string url)
    {
        var (request, errors) = Parse($"echo --url {url} --messages 10");

        Assert.Empty(errors);
        Assert.NotNull(request);
    }

    [Theory]
    [InlineData("ws://10.0.0.5:3000/echo")]
    [InlineData("ws://example.com/echo")]
    public void Parse_RemoteTargetWithoutAllowHost_IsRejected(string url)
    {
        var (request, errors) = Parse($"echo --url {url} --messages 10");

        Assert.Null(request);
        Assert.Contains(errors, e => e.Contains("--allow-host", StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_RemoteTargetNamedByAllowHost_IsAccepted()
    {
        var (request, errors) = Parse("echo --url ws://bench.example.com:3000/echo --messages 10 --allow-host bench.example.com");

        Assert.Empty(errors);
        Assert.NotNull(request);
    }

    [Theory]
    [InlineData("echo --url ws://127.0.0.1:1/e --duration 10x", "duration")]
    [InlineData("echo --url ws://127.0.0.1:1/e --duration 1s --window 0", "--window")]
    [InlineData("echo --url ws://127.0.0.1:1/e --duration 1s --protocol xml", "--protocol")]
    [InlineData("ramp --url ws://127.0.0.1:1/e --duration 1s", "--slo")]
    [InlineData("hold --url ws://127.0.0.1:1/e --messages 5", "--duration only")]
    [InlineData("broadcast --url ws://127.0.0.1:1/b --duration 1s --connections 2 --rooms 3", "--rooms")]
    [InlineData("echo --url ws://127.0.0.1:1/e --duration 1s --source-ips 127.0.0.9-127.0.0.1", "empty")]
    [InlineData("echo --url http://127.0.0.1:1/e --duration 1s", "scheme")]
    [InlineData("echo --url ws://127.0.0.1:1/e --url ws://127.0.0.1:2/e --duration 1s", "broadcast only")]
    [InlineData("broadcast --url ws://127.0.0.1:1/b --url ws://bench.example.com:2/b --duration 1s", "not loopback")]
    [InlineData("broadcast --url ws://127.0.0.1:1/b,not-a-url --duration 1s", "not an absolute URL")]
    public void Parse_InvalidValue_ReportsWhichOption(string line, string mentioned)
    {
        var (request, errors) = Parse(line);

        Assert.Null(request);
        Assert.Contains(errors, e => e.Contains(mentioned, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("--url ws://127.0.0.1:3001/b --url ws://127.0.0.1:3002/b")]
    [InlineData("--url ws://127.0.0.1:3001/b,ws://127.0.0.1:3002/b")]
    public void Parse_SeveralUrlsForBroadcast_KeepsEveryNodeInOrder(string urls)
    {
        var (request, errors) = Parse($"broadcast {urls} --connections 10 --duration 1s");

        Assert.Empty(errors);
        LoadOptions o = request!.Options;
        Assert.Equal(new Uri("ws://127.0.0.1:3001/b"), o.Url);
        Assert.Equal([new Uri("ws://127.0.0.1:3001/b"), new Uri("ws://127.0.0.1:3002/b")], o.Urls);
    }

    [Fact]
    public void Parse_OneUrl_UrlsIsThatUrl()
    {
        LoadOptions o = Parse("echo --url ws://127.0.0.1:3000/echo -d 1s").Request!.Options;

        Assert.Equal([o.Url], o.Urls);
    }

    [Theory]
    [InlineData("10s", 10_000)]
    [InlineData("500ms", 500)]
    [InlineData("2m", 120_000)]
    [InlineData("1.5", 1_500)]
    public void TryParseDuration_Units_AreUnderstood(string text, double milliseconds)
    {
        Assert.True(ValueParsers.TryParseDuration(text, out TimeSpan value, out _));
        Assert.Equal(milliseconds, value.TotalMilliseconds);
    }
}
