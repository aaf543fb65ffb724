using System.Diagnostics;
using System.Text;

namespace FastRealtime.Tests.Infrastructure;

/// <summary>What a Node interop script printed and how it exited.</summary>
public sealed record NodeResult(int ExitCode, string StandardOutput, string StandardError)
{
    public override string ToString() => $"exit {ExitCode}\nstdout: {StandardOutput}\nstderr: {StandardError}";
}

/// <summary>
/// Runs the scripts in tests/interop with node. A missing node or missing node_modules is a FAILURE, not a skip:
/// interop is part of the spec, and ./test.sh installs both.
/// </summary>
public static class NodeRunner
{
    public static async Task<NodeResult> RunAsync(string script, IEnumerable<string> arguments, TimeSpan timeout)
    {
        string directory = InteropDirectory();
        if (!Directory.Exists(Path.Combine(directory, "node_modules", "ws")))
            Assert.Fail($"{directory}/node_modules is missing: run ./test.sh (or `npm ci` in tests/interop) first.");
        return await RunInDirectoryAsync(directory, script, arguments, timeout);
    }

    /// <summary>Runs <paramref name="script"/> of <paramref name="directory"/> (its working directory), killed after <paramref name="timeout"/>.</summary>
    public static async Task<NodeResult> RunInDirectoryAsync(string directory, string script, IEnumerable<string> arguments, TimeSpan timeout)
    {
        var info = new ProcessStartInfo("node")
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(Path.Combine(directory, script));
        foreach (string argument in arguments) info.ArgumentList.Add(argument);

        Process process;
        try
        {
            process = Process.Start(info) ?? throw new InvalidOperationException("node did not start");
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            Assert.Fail($"node is not installed or not on PATH ({ex.Message}): run ./test.sh, which installs it.");
            throw;
        }

        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            using var cts = new CancellationTokenSource(timeout);
            try
            {
                await process.WaitForExitAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
                Assert.Fail($"node {script} did not finish within {timeout}: {await stdout} {await stderr}");
            }
            return new NodeResult(process.ExitCode, (await stdout).Trim(), (await stderr).Trim());
        }
    }

    /// <summary>tests/interop, found by walking up from the test binaries (bin/Release/net10.0 inside the repository).</summary>
    public static string InteropDirectory()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "tests", "interop");
            if (File.Exists(Path.Combine(candidate, "package.json"))) return candidate;
        }
        Assert.Fail($"tests/interop/package.json not found above {AppContext.BaseDirectory}");
        return "";
    }
}
