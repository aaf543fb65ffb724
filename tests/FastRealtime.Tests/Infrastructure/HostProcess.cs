using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;

namespace FastRealtime.Tests.Infrastructure;

/// <summary>
/// The real host executable (<c>dotnet fastrealtime.dll serve</c>, copied next to the tests) in a child process on a
/// free loopback port — the only process these tests ever signal or kill.
/// </summary>
public sealed partial class HostProcess : IAsyncDisposable
{
    private const int SigTerm = 15;
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly TaskCompletionSource _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private readonly string? _ownedDataDirectory;

    private HostProcess(Process process, int port, string? ownedDataDirectory)
    {
        _process = process;
        _ownedDataDirectory = ownedDataDirectory;
        EndPoint = new IPEndPoint(IPAddress.Loopback, port);
    }

    public IPEndPoint EndPoint { get; }

    public int Id => _process.Id;

    /// <summary>Everything the host printed so far (for failure messages).</summary>
    public string Output
    {
        get { lock (_output) return _output.ToString(); }
    }

    /// <summary>
    /// Starts the host and returns once it logs that it is listening. Without a <c>--data</c> argument the host gets a
    /// fresh temporary data folder, deleted on dispose (the default ./data would litter the test folder); a test that
    /// restarts on the same data passes its own <c>--data</c> and deletes it.
    /// </summary>
    public static async Task<HostProcess> StartAsync(params string[] extraArguments)
    {
        var host = Launch(extraArguments);
        var started = await Task.WhenAny(host._listening.Task, host._process.WaitForExitAsync(), Task.Delay(TimeSpan.FromSeconds(30)));
        if (started != host._listening.Task)
        {
            await host.DisposeAsync();
            Assert.Fail($"The host did not report listening on {host.EndPoint.Port}:\n{host.Output}");
        }
        return host;
    }

    /// <summary>
    /// Starts the host for a start-up that is expected to fail: its exit code and everything it printed, or a failed
    /// assertion when it is still running after <paramref name="bound"/> (then it is killed).
    /// </summary>
    public static async Task<(int ExitCode, string Output)> RunUntilExitAsync(TimeSpan bound, params string[] extraArguments)
    {
        await using var host = Launch(extraArguments);
        int? exitCode = await host.WaitForExitAsync(bound);
        Assert.True(exitCode is not null, $"The host was still running after {bound}:\n{host.Output}");
        return (exitCode.Value, host.Output);
    }

    private static HostProcess Launch(string[] extraArguments)
    {
        int port = FreePort();
        string? ownedData = null;
        if (!extraArguments.Contains("--data"))
        {
            ownedData = Directory.CreateTempSubdirectory("fastrealtime-host-").FullName;
            extraArguments = [.. extraArguments, "--data", ownedData];
        }
        string dll = Path.Combine(AppContext.BaseDirectory, "fastrealtime.dll");
        Assert.True(File.Exists(dll), $"The host {dll} is not next to the tests; build the solution first.");
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string arg in new[] { dll, "serve", "--port", port.ToString(), "--host", "127.0.0.1" }.Concat(extraArguments))
            info.ArgumentList.Add(arg);
        var process = Process.Start(info) ?? throw new InvalidOperationException("dotnet did not start");
        var host = new HostProcess(process, port, ownedData);
        process.OutputDataReceived += (_, e) => host.Record(e.Data);
        process.ErrorDataReceived += (_, e) => host.Record(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return host;
    }

    private void Record(string? line)
    {
        if (line is null) return;
        lock (_output) _output.AppendLine(line);
        if (line.Contains("listening on", StringComparison.Ordinal)) _listening.TrySetResult();
    }

    /// <summary>Sends SIGTERM (what systemd, Docker and Kubernetes send) to this child process only.</summary>
    public void Terminate()
    {
        if (Kill(_process.Id, SigTerm) != 0) throw new InvalidOperationException($"kill({_process.Id}, SIGTERM) failed: errno {Marshal.GetLastPInvokeError()}");
    }

    /// <summary>SIGKILL to this child process only: a crash, no graceful shutdown, nothing flushed.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: false);
        await _process.WaitForExitAsync();
    }

    /// <summary>The exit code, or null if the process is still running after <paramref name="timeout"/>.</summary>
    public async Task<int?> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
            return _process.ExitCode;
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    private static int FreePort()
    {
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)probe.LocalEndPoint!).Port;
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        if (_ownedDataDirectory is not null && Directory.Exists(_ownedDataDirectory)) Directory.Delete(_ownedDataDirectory, recursive: true);
    }
}
