using Microsoft.Extensions.Hosting;

namespace FastRealtime.Chat.Hosting;

/// <summary>Runs <see cref="FastRealtimeServer"/> under the generic host (Ctrl+C and SIGTERM stop it gracefully).</summary>
internal sealed class ServerHostedService(FastRealtimeServer server) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        server.Start();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => server.StopAsync();
}
