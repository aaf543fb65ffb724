using FastRealtime.Chat.ChatApp;
using FastRealtime.Chat.History;
using FastRealtime.Chat.ScaleOut;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace FastRealtime.Chat.Hosting;

/// <summary>
/// Runs <see cref="FastRealtimeServer"/> under the generic host (Ctrl+C and SIGTERM stop it gracefully). On stop the
/// server closes first, so no handler is left appending; with scale-out the node then leaves the chat rooms (users
/// with no other node get chat:user-left) and says goodbye to the cluster while Redis is still connected; only then
/// the history store is disposed (flushed).
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
        // Both are disposed again by the container at exit (no-ops then); the node's own hosted stop is one too.
        if (services.GetService<IChatPresenceDirectory>() is IAsyncDisposable presence) await presence.DisposeAsync().ConfigureAwait(false);
        if (services.GetService<ScaleOutNode>() is { } node) await node.StopAsync(goodbye: true).ConfigureAwait(false);
        // The container disposes it again at exit; stores treat a second dispose as a no-op.
        if (services.GetService<IChatHistoryStore>() is { } store) await store.DisposeAsync().ConfigureAwait(false);
    }
}
