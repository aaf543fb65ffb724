using System.Diagnostics;

namespace FastRealtime.Tests.SocketIO;

/// <summary>
/// Runs a Node script of tests/interop/socketio (the real npm socket.io-client) and returns its exit code and output.
/// Bounded in time; installs the folder's locked dependencies (npm ci) once if test.sh has not.
/// </summary>
internal static class SocketIoNodeRunner
{
    private static readonly Lazy<string> s_directory = new(FindAndPrepare);

    public static async Task<(int ExitCode, string Output)> RunAsync(string script, params string[] args)
    {
        var start = new ProcessStartInfo("node") { WorkingDirectory = s_directory.Value, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(script);
        foreach (var arg in args) start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        // Pipe reads block a thread on Unix: on dedicated threads, so they never starve the thread pool that runs the
        // server's timer wheel (on a 2-core machine two blocked pool threads stalled every heartbeat).
        var stdout = Task.Factory.StartNew(process.StandardOutput.ReadToEnd, TaskCreationOptions.LongRunning);
        var stderr = Task.Factory.StartNew(process.StandardError.ReadToEnd, TaskCreationOptions.LongRunning);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(40));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            return (-1, $"{script} {string.Join(' ', args)} did not finish in 40 s\n{await stdout}\n{await stderr}");
        }
        return (process.ExitCode, (await stdout) + (await stderr));
    }

    private static string FindAndPrepare()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "FastRealtime.sln"))) directory = directory.Parent;
        if (directory is null) throw new InvalidOperationException("FastRealtime.sln not found above " + AppContext.BaseDirectory);
        string interop = Path.Combine(directory.FullName, "tests", "interop", "socketio");
        if (!Directory.Exists(Path.Combine(interop, "node_modules", "socket.io-client")))
        {
            var npm = Process.Start(new ProcessStartInfo("npm", "ci --no-audit --no-fund --loglevel=error") { WorkingDirectory = interop })!;
            if (!npm.WaitForExit(TimeSpan.FromMinutes(2)) || npm.ExitCode != 0)
                throw new InvalidOperationException("npm ci failed in " + interop);
        }
        return interop;
    }
}
