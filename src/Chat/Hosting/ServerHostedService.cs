using FastRealtime.Chat.History;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace FastRealtime.Chat.Hosting;

/// <summary>
/// Runs <see cref="FastRealtimeServer"/> under the generic host (Ctrl+C and SIGTERM stop it gracefully). On stop the
/// server closes first, so no handler is left appending, and only then the history store is disposed (flushed).
/// </summary>
internal sealed class ServerHostedService(FastRealtimeServer server, IServiceProvider services, ILogger<ServerHostedService> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        server.Start();
        logger.LogInformation("Chat ready: open http://{EndPoint}/ in a browser", server.LocalEndPoint);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await server.StopAsync().ConfigureAwait(false);
        // The container disposes it again at exit; stores treat a second dispose as a no-op.
        if (services.GetService<IChatHistoryStore>() is { } store) await store.DisposeAsync().ConfigureAwait(false);
    }
}
