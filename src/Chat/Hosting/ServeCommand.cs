using System.CommandLine;
using FastRealtime.Chat.ChatApp;
using FastRealtime.Chat.Endpoints;
using FastRealtime.Chat.ScaleOut;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace FastRealtime.Chat.Hosting;

/// <summary>`fastrealtime serve`: runs the server with appsettings.json, FASTREALTIME_* environment variables and flags.</summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var port = new Option<int?>("--port") { Description = "TCP port (default 3000)" };
        var host = new Option<string?>("--host") { Description = "Address to bind (default 127.0.0.1; * for all)" };
        var maxMessageSize = new Option<int?>("--max-message-size") { Description = "Largest WebSocket message in bytes (default 1 MiB); larger ones close with 1009" };
        var data = new Option<string?>("--data") { Description = "Data folder: chat history (SQLite) and the development JWT secret (default ./data)" };
        var jwtSecret = new Option<string?>("--jwt-secret") { Description = "HS256 key that client JWTs must be signed with (default: generated once per data folder)" };
        var adminKey = new Option<string?>("--admin-key") { Description = "Bearer key for POST /api/notifications" };
        var redis = new Option<string?>("--redis") { Description = "HOST:PORT of Redis: scale out across nodes (off by default)" };
        var postgres = new Option<string?>("--postgres") { Description = "PostgreSQL connection string: shared chat history for several nodes (default SQLite in --data)" };
        var config = new Option<string[]>("--set") { Description = "Any setting as Key=Value, e.g. --set Server:IdleTimeout=00:02:00", AllowMultipleArgumentsPerToken = true };

        var command = new Command("serve", "Run the FastRealtime server") { port, host, maxMessageSize, data, jwtSecret, adminKey, redis, postgres, config };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var overrides = new Dictionary<string, string?>();
            if (parse.GetValue(port) is int p) overrides[$"{ServerSettings.SectionName}:Port"] = p.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (parse.GetValue(host) is string h) overrides[$"{ServerSettings.SectionName}:Host"] = h;
            if (parse.GetValue(maxMessageSize) is int m) overrides[$"{ServerSettings.SectionName}:MaxMessageSize"] = m.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (parse.GetValue(data) is string d) overrides["Chat:DataDirectory"] = d;
            if (parse.GetValue(jwtSecret) is string j) overrides["Chat:JwtSecret"] = j;
            if (parse.GetValue(adminKey) is string a) overrides["Chat:AdminKey"] = a;
            if (parse.GetValue(postgres) is string pg) overrides["Chat:Postgres"] = pg;
            if (parse.GetValue(redis) is string r) overrides["ScaleOut:Redis"] = r;
            foreach (var pair in parse.GetValue(config) ?? [])
            {
                int eq = pair.IndexOf('=');
                if (eq <= 0) throw new ArgumentException($"--set expects Key=Value, got '{pair}'");
                overrides[pair[..eq]] = pair[(eq + 1)..];
            }
            await RunAsync(overrides, cancellationToken).ConfigureAwait(false);
            return 0;
        });
        return command;
    }

    private static async Task RunAsync(Dictionary<string, string?> overrides, CancellationToken cancellationToken)
    {
        var builder = HostBuilderFactory.Create(overrides);
        builder.Logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss ";
        });
        var settings = builder.Configuration.GetSection(ServerSettings.SectionName).Get<ServerSettings>() ?? new ServerSettings();
        var chat = builder.Configuration.GetSection(ChatSettings.SectionName).Get<ChatSettings>() ?? new ChatSettings();
        builder.Services.AddSingleton(settings);
        builder.Services.AddChatApplication(chat);
        builder.Services.AddBenchmarkGateway();
        builder.Services.AddScaleOut(builder.Configuration.GetSection(ScaleOutSettings.SectionName).Get<ScaleOutSettings>() ?? new ScaleOutSettings());
        builder.Services.AddSingleton(sp => new FastRealtimeServer(settings, sp.GetRequiredService<ILoggerFactory>(),
            router => router.MapChatEndpoints(sp), sp));
        builder.Services.AddHostedService<ServerHostedService>();
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = settings.ShutdownTimeout + TimeSpan.FromSeconds(5));
        using var app = builder.Build();
        await app.RunAsync(cancellationToken).ConfigureAwait(false);
    }
}
