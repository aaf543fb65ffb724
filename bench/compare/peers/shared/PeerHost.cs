using System.Net;

namespace ComparePeers;

/// <summary>
/// Host settings every .NET peer shares: loopback only, <c>--port P</c> or PORT, warnings-only logging
/// (the default Information level logs every request, and a benchmark server logs nothing per message).
/// </summary>
public static class PeerHost
{
    public static WebApplicationBuilder CreateBuilder(string[] args, int defaultPort)
    {
        var port = ParsePort(args, defaultPort);
        var builder = WebApplication.CreateBuilder(args);
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, port));
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        return builder;
    }

    private static int ParsePort(string[] args, int defaultPort)
    {
        var index = Array.IndexOf(args, "--port");
        var raw = index >= 0 && index + 1 < args.Length ? args[index + 1] : Environment.GetEnvironmentVariable("PORT");
        if (raw is null) return defaultPort;
        if (int.TryParse(raw, out var port) && port is > 0 and <= 65535) return port;
        Console.Error.WriteLine($"invalid port: {raw}");
        Environment.Exit(2);
        return 0;
    }
}
