using FastRealtime.Tests.Infrastructure;
using Xunit.Abstractions;

namespace FastRealtime.Tests.Web;

/// <summary>
/// The chat page at GET / in headless Chromium against the real host (child process, temporary data folder): what a
/// person sees, end to end through the page's JavaScript, the Socket.IO browser client, the gateway and the store.
/// </summary>
public sealed class ChatPageBrowserTests(ITestOutputHelper output) : IAsyncLifetime
{
    // Long enough for HS256 (at least 256 bits); only this test's host knows it.
    private const string JwtSecret = "browser-test-secret-0123456789abcdefghijklmnop";
    private const string AdminKey = "browser-test-admin-key";

    private readonly DirectoryInfo _data = Directory.CreateTempSubdirectory("fastrealtime-web-");

    [Fact]
    public async Task ChatPage_AliceAndBobInDevelopmentMode_SeePresenceTypingMessagesAndNotificationsLive()
    {
        // No JWT secret: development mode, where the page gets tokens from POST /api/dev/token.
        string stdout = await RunScenarioAsync("chat", "--data", _data.FullName, "--admin-key", AdminKey);

        string screenshot = Path.Combine(BrowserRunner.OutputDirectory, "chat.png");
        Assert.Contains($"screenshot {screenshot}", stdout);
        Assert.True(new FileInfo(screenshot).Length > 0);
    }

    [Fact]
    public Task ChatPage_RefusedToken_SaysTheServerRefusedItAndAsksAgain() =>
        RunScenarioAsync("refused", "--data", _data.FullName, "--jwt-secret", JwtSecret);

    [Fact]
    public Task ChatPage_JwtSecretConfiguredAndNoToken_AsksForATokenWithoutConnecting() =>
        RunScenarioAsync("missing", "--data", _data.FullName, "--jwt-secret", JwtSecret);

    /// <summary>Starts the host with <paramref name="hostArguments"/>, runs the browser scenario against its page,
    /// fails with both outputs unless the scenario passed, and returns what the scenario printed.</summary>
    private async Task<string> RunScenarioAsync(string scenario, params string[] hostArguments)
    {
        await using var host = await HostProcess.StartAsync(hostArguments);
        var result = await BrowserRunner.RunAsync(new Uri($"http://127.0.0.1:{host.EndPoint.Port}/"), scenario, AdminKey);
        output.WriteLine(result.StandardOutput);
        Assert.True(result.ExitCode == 0, $"{result}\nhost:\n{host.Output}");
        return result.StandardOutput;
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        _data.Delete(recursive: true);
        return Task.CompletedTask;
    }
}
