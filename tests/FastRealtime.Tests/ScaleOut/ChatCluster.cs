using System.Text.Json;
using FastRealtime.Chat.Auth;
using FastRealtime.Chat.ChatApp;
using FastRealtime.Tests.ChatBackend;
using FastRealtime.Tests.Gateways;
using FastRealtime.Tests.Infrastructure;
using FastRealtime.Tests.SocketIO;

namespace FastRealtime.Tests.ScaleOut;

/// <summary>
/// Two or three real <c>fastrealtime serve --redis</c> processes (each its own port and temporary --data folder, so
/// its own SQLite history unless --postgres is passed), one JWT secret and admin key, fast heartbeats so a killed node
/// is declared lost within about 2.5 s. Only these child processes are ever killed.
/// </summary>
public sealed class ChatCluster : IAsyncDisposable
{
    public const string Secret = "chat-cluster-tests-secret-0123456789-abcdefghij";
    public const string AdminKey = "cluster-admin-key";
    public static readonly TimeSpan NodeTimeout = TimeSpan.FromSeconds(2);

    private static readonly JwtTokenService s_tokens = JwtTokenService.FromSettings(new ChatSettings { JwtSecret = Secret });

    private ChatCluster(HostProcess[] nodes, string prefix)
    {
        Nodes = nodes;
        Prefix = prefix;
    }

    public HostProcess[] Nodes { get; }
    public string Prefix { get; }
    public HostProcess A => Nodes[0];
    public HostProcess B => Nodes[1];

    public static async Task<ChatCluster> StartAsync(RedisServer redis, string prefix, int nodes = 2, params string[] extra)
    {
        string[] arguments =
        [
            "--redis", redis.Configuration, "--jwt-secret", Secret, "--admin-key", AdminKey,
            "--set", $"ScaleOut:ChannelPrefix={prefix}", "--set", "ScaleOut:HeartbeatInterval=00:00:00.500",
            "--set", $"ScaleOut:NodeTimeout={NodeTimeout:c}", "--set", "ScaleOut:MaxReconnectBackoff=00:00:00.500", .. extra,
        ];
        var starting = Enumerable.Range(0, nodes).Select(_ => HostProcess.StartAsync(arguments)).ToArray();
        try
        {
            await Task.WhenAll(starting);
        }
        catch
        {
            // A node that did not start fails the test; the ones that did must not outlive it.
            foreach (var node in starting.Where(t => t.IsCompletedSuccessfully)) await node.Result.DisposeAsync();
            throw;
        }
        var cluster = new ChatCluster([.. starting.Select(t => t.Result)], prefix);
        try
        {
            await WaitUntilEachSeesAllAsync(cluster, nodes);
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
        return cluster;
    }

    // Cluster queries (a notification's count) ask the nodes a node has seen alive: wait until each sees all.
    private static async Task WaitUntilEachSeesAllAsync(ChatCluster cluster, int nodes)
    {
        using var http = new HttpClient();
        foreach (var node in cluster.Nodes)
        {
            string metrics = "";
            for (var deadline = DateTime.UtcNow.AddSeconds(10); !metrics.Contains($"fastrealtime_scaleout_nodes {nodes}", StringComparison.Ordinal);)
            {
                if (DateTime.UtcNow > deadline) Assert.Fail($"node {node.EndPoint} does not see {nodes} nodes:\n{metrics}\n{cluster.NodeOutputs()}");
                await Task.Delay(100);
                metrics = await http.GetStringAsync($"http://{node.EndPoint}/metrics");
            }
        }
    }

    public static string Token(string userId, string name) => s_tokens.Create(userId, name, TimeSpan.FromMinutes(10));

    /// <summary>A plain-WebSocket (JSON) client of <paramref name="path"/> on <paramref name="node"/>.</summary>
    public static async Task<ChatWsClient> ConnectAsync(HostProcess node, string userId, string? name = null, string path = "/chat") =>
        new(await JsonWsClient.ConnectAsync(node.EndPoint, $"{path}?token={Uri.EscapeDataString(Token(userId, name ?? userId))}"));

    /// <summary>Tokens for chatcluster.mjs (alice twice, as two tabs).</summary>
    public static string TokensJson() => JsonSerializer.Serialize(new Dictionary<string, string>
    {
        ["alice"] = Token("u-alice", "Alice"),
        ["alice2"] = Token("u-alice", "Alice"),
        ["bob"] = Token("u-bob", "Bob"),
        ["carol"] = Token("u-carol", "Carol"),
        ["adminKey"] = AdminKey,
    });

    /// <summary>Runs a scenario of tests/interop/socketio/chatcluster.mjs against every node; fails with every output.</summary>
    public async Task RunScenarioAsync(string scenario)
    {
        var (exitCode, output) = await SocketIoNodeRunner.RunAsync("chatcluster.mjs",
            [scenario, TokensJson(), .. Nodes.Select(n => $"http://{n.EndPoint}")]);
        Assert.True(exitCode == 0, $"{output}\n{NodeOutputs()}");
    }

    public string NodeOutputs() => string.Join("\n", Nodes.Select((n, i) => $"--- node {i} ---\n{n.Output}"));

    public async ValueTask DisposeAsync()
    {
        foreach (var node in Nodes) await node.DisposeAsync();
    }
}
