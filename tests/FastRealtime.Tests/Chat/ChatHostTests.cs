using System.Net;
using System.Text.Json;
using FastRealtime.Chat.Auth;
using FastRealtime.Chat.ChatApp;
using FastRealtime.Tests.Infrastructure;
using FastRealtime.Tests.SocketIO;

namespace FastRealtime.Tests.ChatBackend;

/// <summary>
/// The real host (<c>fastrealtime serve</c> as a child process) with the embedded SQLite history in a temporary
/// --data folder: history across a graceful restart and across a crash, /metrics, the start-up log.
/// </summary>
public sealed class ChatHostTests : IAsyncLifetime
{
    private const string Secret = "chat-host-tests-secret-0123456789-abcdefghijklmnop";
    private const string AdminKey = "host-admin-key";
    private string _data = null!;

    public Task InitializeAsync()
    {
        _data = Directory.CreateTempSubdirectory("fastrealtime-chat-host-").FullName;
        return Task.CompletedTask;
    }

    public Task DisposeAsync()
    {
        Directory.Delete(_data, recursive: true);
        return Task.CompletedTask;
    }

    private Task<HostProcess> StartHostAsync(params string[] extra) =>
        HostProcess.StartAsync(["--data", _data, "--jwt-secret", Secret, "--admin-key", AdminKey, .. extra]);

    /// <summary>Tokens for chat.mjs signed with the host's secret (alice twice for two tabs).</summary>
    private static string Tokens()
    {
        var service = JwtTokenService.FromSettings(new ChatSettings { JwtSecret = Secret });
        string For(string id, string name) => service.Create(id, name, TimeSpan.FromMinutes(10));
        return JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["alice"] = For("u-alice", "Alice"),
            ["alice2"] = For("u-alice", "Alice"),
            ["bob"] = For("u-bob", "Bob"),
            ["carol"] = For("u-carol", "Carol"),
            ["adminKey"] = AdminKey,
            ["invalid"] = Array.Empty<string>(),
        });
    }

    private static async Task<string> RunAsync(HostProcess host, string scenario, string? outputFile = null)
    {
        string[] args = outputFile is null
            ? [scenario, $"http://{host.EndPoint}", Tokens()]
            : [scenario, $"http://{host.EndPoint}", Tokens(), outputFile];
        var (exitCode, output) = await SocketIoNodeRunner.RunAsync("chat.mjs", args);
        Assert.True(exitCode == 0, $"{output}\n--- host ---\n{host.Output}");
        return output;
    }

    private static string[] Ids(string output, string prefix = "ids ") =>
        JsonSerializer.Deserialize<string[]>(output.Split('\n').Single(l => l.StartsWith(prefix, StringComparison.Ordinal))[prefix.Length..])!;

    [Fact]
    public async Task Serve_HistoryAfterGracefulRestart_JoinReturnsTheAckedMessages()
    {
        string[] written;
        await using (var host = await StartHostAsync())
        {
            written = Ids(await RunAsync(host, "writeHistory"));
            host.Terminate();
            Assert.Equal(0, await host.WaitForExitAsync(TimeSpan.FromSeconds(20)));
        }

        await using var restarted = await StartHostAsync();
        string output = await RunAsync(restarted, "readHistory");

        Assert.Equal(written, Ids(output));
        Assert.Equal(["kept 0", "kept 1", "kept 2", "kept 3", "kept 4"], Ids(output, "texts "));
    }

    [Fact]
    public async Task Serve_KilledMidLoad_EveryAckedMessageIsInTheHistory()
    {
        string acked = Path.Combine(_data, "acked.txt");
        string stored = Path.Combine(_data, "stored.txt");
        // The per-socket chat limit would refuse most of a flat-out load; this test is about durability.
        await using (var host = await StartHostAsync("--set", "Chat:MaxMessagesPerSecond=0"))
        {
            var load = RunAsync(host, "crashLoad", acked);
            // Kill -9 once a fair number of messages were acked, while the writers are still sending.
            await Eventually.AssertAsync(() => File.Exists(acked) && File.ReadAllLines(acked).Length >= 300, TimeSpan.FromSeconds(30),
                () => $"the load did not get 300 acks\n{host.Output}");
            await host.KillAsync();
            await load;
        }
        var ackedIds = File.ReadAllLines(acked).Where(l => l.Length > 0).ToArray();

        await using var restarted = await StartHostAsync();
        await RunAsync(restarted, "readAll", stored);

        var storedIds = File.ReadAllLines(stored).ToHashSet(StringComparer.Ordinal);
        var lost = ackedIds.Where(id => !storedIds.Contains(id)).ToArray();
        Assert.True(lost.Length == 0, $"{lost.Length} of {ackedIds.Length} acked messages lost, e.g. {string.Join(", ", lost.Take(5))}");
        Assert.True(ackedIds.Length >= 300);
    }

    [Fact]
    public async Task Serve_AfterChatTraffic_MetricsExportChatAndStoreInstruments()
    {
        await using var host = await StartHostAsync();
        await RunAsync(host, "writeHistory");
        using var http = new HttpClient();

        string metrics = await http.GetStringAsync($"http://{host.EndPoint}/metrics");

        Assert.Contains("chat_messages_stored_total 5", metrics);
        Assert.Contains("chat_acks_total 5", metrics);
        Assert.Contains("fastrealtime_chat_history_commit_duration", metrics); // the store's latency, same /metrics
        Assert.Contains("fastrealtime_connections_accepted", metrics);
        Assert.Contains($"open http://{host.EndPoint}/", host.Output);
    }

    [Fact]
    public async Task Serve_NotificationsApi_RequiresTheConfiguredKey()
    {
        await using var host = await StartHostAsync();
        using var http = new HttpClient();
        using var content = new StringContent("""{"type":"info","title":"hi"}""", System.Text.Encoding.UTF8, "application/json");
        var refused = await http.PostAsync($"http://{host.EndPoint}/api/notifications", content);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        using var request = new HttpRequestMessage(HttpMethod.Post, $"http://{host.EndPoint}/api/notifications")
        {
            Content = new StringContent("""{"type":"info","title":"hi"}""", System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new("Bearer", AdminKey);
        Assert.Equal(HttpStatusCode.Accepted, (await http.SendAsync(request)).StatusCode);
    }
}
