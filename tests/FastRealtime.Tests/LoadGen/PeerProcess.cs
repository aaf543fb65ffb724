using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace FastRealtime.Tests.LoadGen;

/// <summary>
/// One benchmark peer from bench/compare/peers (the Node socket.io server, the SignalR hub) in a child process on a
/// free loopback port, ready once GET /health answers 200. Disposing kills that process — the only one these tests
/// start or stop. A missing peer build is a failure with the command that fixes it, not a skip.
/// </summary>
public sealed class PeerProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartLimit = TimeSpan.FromSeconds(30);

    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private PeerProcess(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    public string Output
    {
        get { lock (_output) return _output.ToString(); }
    }

    /// <summary>The Node socket.io 4.8 peer (needs <c>npm ci</c> in its folder).</summary>
    public static Task<PeerProcess> StartNodeSocketIoAsync()
    {
        string folder = Path.Combine(RepositoryRoot(), "bench", "compare", "peers", "node-socketio");
        if (!Directory.Exists(Path.Combine(folder, "node_modules", "socket.io")))
            Assert.Fail($"{folder}/node_modules is missing: run `npm ci` in that folder first.");
        return StartAsync("node", Path.Combine(folder, "server.mjs"));
    }

    /// <summary>The ASP.NET Core SignalR peer (needs <c>dotnet build bench/compare/peers/signalr -c Release</c>).</summary>
    public static Task<PeerProcess> StartSignalRAsync()
    {
        string dll = Path.Combine(RepositoryRoot(), "bench", "compare", "peers", "signalr", "bin", "Release", "net10.0", "signalr-peer.dll");
        if (!File.Exists(dll)) Assert.Fail($"{dll} is missing: run `dotnet build bench/compare/peers/signalr -c Release` first.");
        return StartAsync("dotnet", dll);
    }

    public Uri Url(string pathAndQuery) => new($"ws://127.0.0.1:{Port}{pathAndQuery}");

    private static async Task<PeerProcess> StartAsync(string program, string entry)
    {
        int port = FreePort();
        var info = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string arg in new[] { entry, "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture) }) info.ArgumentList.Add(arg);
        var process = Process.Start(info) ?? throw new InvalidOperationException($"{program} did not start");
        var peer = new PeerProcess(process, port);
        process.OutputDataReceived += (_, e) => peer.Record(e.Data);
        process.ErrorDataReceived += (_, e) => peer.Record(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (!await peer.WaitHealthyAsync())
        {
            await peer.DisposeAsync();
            Assert.Fail($"{program} {entry} did not answer GET /health on {port}:\n{peer.Output}");
        }
        return peer;
    }

    private async Task<bool> WaitHealthyAsync()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        long start = Stopwatch.GetTimestamp();
        while (Stopwatch.GetElapsedTime(start) < StartLimit && !_process.HasExited)
        {
            try
            {
                using HttpResponseMessage response = await http.GetAsync(new Uri($"http://127.0.0.1:{Port}/health"));
                if (response.StatusCode == HttpStatusCode.OK) return true;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            await Task.Delay(100);
        }
        return false;
    }

    private void Record(string? line)
    {
        if (line is null) return;
        lock (_output) _output.AppendLine(line);
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "FastRealtime.sln"))) return dir.FullName;
        throw new InvalidOperationException("FastRealtime.sln not found above " + AppContext.BaseDirectory);
    }

    private static int FreePort()
    {
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)probe.LocalEndPoint!).Port;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }
}
