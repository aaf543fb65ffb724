using System.Net;
using System.Net.Sockets;
using FastRealtime.Tests.Infrastructure;

namespace FastRealtime.Tests.ScaleOut;

/// <summary>
/// A Redis that goes silent (a hung server, a black-holing proxy): the real host never waits for a reply that does not
/// come — it serves locally when Redis is silent from the start, and its start fails with the error logged when Redis
/// falls silent once connected.
/// </summary>
public sealed class UnresponsiveRedisHostTests
{
    private const int RedisBackplaneAttempts = FastRealtime.Chat.ScaleOut.RedisBackplane.SubscribeAttempts;

    [Fact]
    public async Task Serve_RedisAcceptsButNeverAnswers_ListensAndServesLocally()
    {
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var held = new List<Socket>();
        using var stop = new CancellationTokenSource();
        var accepting = Task.Run(async () =>
        {
            try
            {
                while (true)
                {
                    var socket = await silent.AcceptSocketAsync(stop.Token);
                    lock (held) held.Add(socket);
                }
            }
            catch (OperationCanceledException)
            {
            }
        });
        try
        {
            string redis = $"127.0.0.1:{((IPEndPoint)silent.LocalEndpoint).Port}";
            await using var host = await HostProcess.StartAsync("--redis", redis, "--jwt-secret", ChatCluster.Secret);
            await using var client = await RawWebSocketClient.ConnectAsync(host.EndPoint, "/echo");
            await client.SendTextAsync("still here");
            var echo = await client.ReceiveAsync(TimeSpan.FromSeconds(10));

            Assert.Equal("still here", echo.Text);
            Assert.Contains("is not reachable; serving local members only", host.Output);
            lock (held) Assert.NotEmpty(held); // the host did try: the silence, not a refusal, is what it survived
        }
        finally
        {
            stop.Cancel();
            await accepting;
            lock (held) foreach (var socket in held) socket.Dispose();
        }
    }

    [Fact]
    public async Task Serve_RedisFallsSilentAtTheFirstSubscription_StartFailsWithTheErrorInsteadOfHanging()
    {
        await using var redis = await RedisServer.StartNewAsync();
        await using var proxy = new SilencingRedisProxy(new IPEndPoint(IPAddress.Loopback, redis.Port), "silenced-cluster");

        var (exitCode, output) = await HostProcess.RunUntilExitAsync(TimeSpan.FromSeconds(60),
            "--redis", proxy.Configuration, "--jwt-secret", ChatCluster.Secret,
            "--set", $"ScaleOut:ChannelPrefix={proxy.Marker}", "--set", "ScaleOut:OperationTimeout=00:00:00.500");

        Assert.NotEqual(0, exitCode);
        Assert.Contains("Connected to Redis", output);
        Assert.Contains("did not confirm the subscription", output);
        Assert.Contains($"in {RedisBackplaneAttempts} attempts", output); // the start-up error names what it waited for
        Assert.DoesNotContain("listening on", output);
        Assert.True(proxy.Silenced >= 1, output);
    }
}
