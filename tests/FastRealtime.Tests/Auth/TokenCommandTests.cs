using System.Diagnostics;
using FastRealtime.Chat.Auth;
using FastRealtime.Chat.ChatApp;

namespace FastRealtime.Tests.Auth;

/// <summary><c>fastrealtime token</c> run as a real process (the host dll copied next to the tests), like an operator would.</summary>
public sealed class TokenCommandTests : IDisposable
{
    private readonly TempDataDirectory _data = new();

    public void Dispose() => _data.Dispose();

    [Fact]
    public async Task Token_WithSecret_PrintsOnlyATokenTheServiceAccepts()
    {
        var (exitCode, stdout, stderr) = await RunAsync("token", "--secret", TestTokens.Secret, "--sub", "u9", "--name", "Ivy", "--ttl", "15m",
            "--email", "ivy@example.com", "--role", "admin");

        Assert.True(exitCode == 0, stderr);
        string token = stdout.TrimEnd('\n');
        Assert.Matches(@"^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$", token); // one line, nothing else
        var result = TestTokens.Service().Validate(token);
        Assert.True(result.Succeeded, result.Error);
        Assert.Equal("u9", result.UserId);
        Assert.Equal("Ivy", result.UserName);
        Assert.True(result.Principal.IsInRole("admin"));
    }

    [Fact]
    public async Task Token_NoSecret_SignsWithTheDataFoldersDevelopmentSecret_AsServeWould()
    {
        var (exitCode, stdout, stderr) = await RunAsync("token", "--sub", "u1", "--name", "Alice", "--data", _data.Path);

        Assert.True(exitCode == 0, stderr);
        // What `serve --data DIR` with no secret validates with: the secret the command just created there.
        var serverSide = JwtTokenService.FromSettings(new ChatSettings { DataDirectory = _data.Path });
        Assert.True(serverSide.IsDevelopment);
        var result = serverSide.Validate(stdout.Trim());
        Assert.True(result.Succeeded, result.Error);
        Assert.Equal("Alice", result.UserName);
    }

    [Fact]
    public async Task Token_ConcurrentFirstRunsOnOneDataFolder_OneSecretSignsEveryToken()
    {
        var runs = await Task.WhenAll(Enumerable.Range(0, 4).Select(i => RunAsync("token", "--sub", $"u{i}", "--data", _data.Path)));

        var serverSide = JwtTokenService.FromSettings(new ChatSettings { DataDirectory = _data.Path });
        foreach (var (exitCode, stdout, stderr) in runs)
        {
            Assert.True(exitCode == 0, stderr);
            Assert.True(serverSide.Validate(stdout.Trim()).Succeeded);
        }
        Assert.Single(Directory.GetFiles(_data.Path));
    }

    [Fact]
    public async Task Token_SecretFromEnvironment_UsedLikeServe()
    {
        var environment = new Dictionary<string, string> { ["FASTREALTIME_Chat__JwtSecret"] = TestTokens.Secret };
        var (exitCode, stdout, stderr) = await RunAsync(environment, "token", "--sub", "u2", "--data", _data.Path);

        Assert.True(exitCode == 0, stderr);
        Assert.True(TestTokens.Service().Validate(stdout.Trim()).Succeeded);
        Assert.False(Directory.Exists(_data.Path)); // no development secret created
    }

    [Fact]
    public async Task Token_ShortSecret_ExitCode1AndTheReasonOnStderr()
    {
        var (exitCode, stdout, stderr) = await RunAsync("token", "--secret", "short", "--sub", "u1");
        Assert.Equal(1, exitCode);
        Assert.Equal("", stdout);
        Assert.Contains("256 bits", stderr);
    }

    [Theory]
    [InlineData("30s", 30)]
    [InlineData("15m", 15 * 60)]
    [InlineData("1h", 3600)]
    [InlineData("7d", 7 * 86400)]
    [InlineData("01:30:00", 5400)]
    [InlineData("1.00:00:00", 86400)]
    public void TryParseDuration_UnitsAndTimeSpanSyntax(string text, int seconds)
    {
        Assert.True(TokenCommand.TryParseDuration(text, out var duration));
        Assert.Equal(TimeSpan.FromSeconds(seconds), duration);
    }

    [Theory]
    [InlineData("0s")]
    [InlineData("-1h")]
    [InlineData("1w")]
    [InlineData("h")]
    [InlineData("soon")]
    [InlineData("-00:01:00")]
    public void TryParseDuration_NonsenseOrNotPositive_False(string text) => Assert.False(TokenCommand.TryParseDuration(text, out _));

    private static Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(params string[] arguments) =>
        RunAsync(new Dictionary<string, string>(), arguments);

    private static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(Dictionary<string, string> environment, params string[] arguments)
    {
        string dll = Path.Combine(AppContext.BaseDirectory, "fastrealtime.dll");
        Assert.True(File.Exists(dll), $"The host {dll} is not next to the tests; build the solution first.");
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(dll);
        foreach (string argument in arguments) info.ArgumentList.Add(argument);
        info.Environment.Remove("FASTREALTIME_Chat__JwtSecret"); // only what the test sets
        foreach (var (key, value) in environment) info.Environment[key] = value;
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"fastrealtime {string.Join(' ', arguments)} did not exit in 30 s");
        }
        return (process.ExitCode, await stdout, await stderr);
    }
}
