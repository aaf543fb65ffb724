using FastRealtime.Tests.Infrastructure;

namespace FastRealtime.Tests.Web;

/// <summary>
/// Runs tests/interop/browser/chat-page.mjs (playwright-core driving the Debian chromium) against a running host.
/// A missing browser or missing node_modules is a failure with the command that fixes it, never a skip.
/// </summary>
internal static class BrowserRunner
{
    public const string ChromiumPath = "/usr/bin/chromium";

    /// <summary>Screenshots land here: TestResults/browser at the repository root (ignored by git).</summary>
    public static string OutputDirectory => Path.Combine(RepositoryRoot(), "TestResults", "browser");

    /// <param name="adminKey">The host's admin key, for scenarios that push notifications through POST /api/notifications.</param>
    public static Task<NodeResult> RunAsync(Uri page, string scenario, string? adminKey = null)
    {
        string directory = Path.Combine(NodeRunner.InteropDirectory(), "browser");
        if (!Directory.Exists(Path.Combine(directory, "node_modules", "playwright-core")))
            Assert.Fail($"{directory}/node_modules is missing: run ./test.sh (or `npm ci` in tests/interop/browser) first.");
        if (!File.Exists(ChromiumPath))
            Assert.Fail($"{ChromiumPath} is missing: run ./test.sh (or `apt-get install -y chromium`) first.");
        return NodeRunner.RunInDirectoryAsync(directory, "chat-page.mjs", [page.ToString(), scenario, OutputDirectory, .. adminKey is null ? Array.Empty<string>() : [adminKey]], TimeSpan.FromSeconds(60));
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "FastRealtime.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException("FastRealtime.sln not found above " + AppContext.BaseDirectory);
    }
}
