using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace FastRealtime.Tests.ScaleOut;

/// <summary>
/// A real <c>redis-server</c> (Debian package; test.sh installs it) as a child process on a free loopback port, without
/// persistence. <see cref="StopAsync"/> and <see cref="StartAsync"/> restart it on the same port (the fault tests).
/// Only the process started here is ever killed, by its handle.
/// </summary>
public sealed class RedisServer : IAsyncDisposable
{
    private Process? _process;

    private RedisServer(int port) => Port = port;

    public int Port { get; }

    /// <summary>HOST:PORT for ScaleOut:Redis.</summary>
    public string Configuration => $"127.0.0.1:{Port}";

    public static async Task<RedisServer> StartNewAsync()
    {
        var server = new RedisServer(FreePort());
        await server.StartAsync();
        return server;
    }

    public async Task StartAsync()
    {
        if (_process is not null) throw new InvalidOperationException("redis-server is already running.");
        var start = new ProcessStartInfo("redis-server") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { "--port", Port.ToString(), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--daemonize", "no" })
            start.ArgumentList.Add(arg);
        _process = Process.Start(start) ?? throw new InvalidOperationException("redis-server did not start (is the redis-server package installed?)");
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!await PingsAsync())
        {
            if (_process.HasExited || DateTime.UtcNow > deadline)
                throw new InvalidOperationException($"redis-server on port {Port} did not answer PING");
            await Task.Delay(20);
        }
    }

    /// <summary>Kills the server (as a crash: connections drop at once, every key is lost).</summary>
    public async Task StopAsync()
    {
        if (_process is not { } process) return;
        _process = null;
        if (!process.HasExited) process.Kill();
        await process.WaitForExitAsync();
        process.Dispose();
    }

    /// <summary>Freezes the server (SIGSTOP to this child only): connections stay open, nothing is answered: a slow Redis.</summary>
    public Task PauseAsync() => SignalAsync("-STOP");

    public Task ResumeAsync() => SignalAsync("-CONT");

    private async Task SignalAsync(string signal)
    {
        var process = _process ?? throw new InvalidOperationException("redis-server is not running.");
        using var kill = Process.Start("kill", [signal, process.Id.ToString()]);
        await kill.WaitForExitAsync();
        Assert.Equal(0, kill.ExitCode);
    }

    private async Task<bool> PingsAsync()
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, Port);
            var stream = client.GetStream();
            await stream.WriteAsync("PING\r\n"u8.ToArray());
            var buffer = new byte[16];
            int read = await stream.ReadAsync(buffer).AsTask().WaitAsync(TimeSpan.FromSeconds(2));
            return Encoding.ASCII.GetString(buffer, 0, read).StartsWith("+PONG", StringComparison.Ordinal);
        }
        catch (Exception e) when (e is SocketException or IOException or TimeoutException)
        {
            return false;
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public ValueTask DisposeAsync() => new(StopAsync());
}
