using FastRealtime.Chat.Gateways;
using FastRealtime.Chat.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace FastRealtime.Chat.ScaleOut;

public static class ScaleOutServiceCollectionExtensions
{
    /// <summary>
    /// Scale-out over Redis when <see cref="ScaleOutSettings.Redis"/> is set; otherwise registers nothing and returns
    /// false (single node, nothing needs Redis). Registers the gateway relay (so every emission to rooms, everyone or a
    /// user also reaches the other nodes), <see cref="IClusterPresence"/>, <see cref="ScaleOutMetrics"/> and
    /// <see cref="ScaleOutNode"/> as a hosted service. Call before the <see cref="GatewayServer"/> is first resolved.
    /// </summary>
    /// <param name="backplane">Another backplane than Redis (tests, other engines); default <see cref="RedisBackplane"/>.</param>
    public static bool AddScaleOut(this IServiceCollection services, ScaleOutSettings settings,
        Func<IServiceProvider, IBackplane>? backplane = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (!settings.Enabled) return false;
        settings.Validate();
        services.AddLogging();
        services.AddSingleton(settings);
        services.AddSingleton(new ScaleOutChannels(settings.ChannelPrefix));
        services.AddSingleton<ScaleOutNodeIdentity>();
        services.AddSingleton(sp => new ScaleOutMetrics(() => sp.GetRequiredService<IBackplane>().IsConnected,
            () => sp.GetRequiredService<ClusterPresence>().LiveNodes.Count));
        services.AddSingleton(sp => new ExportedMeter(sp.GetRequiredService<ScaleOutMetrics>().Meter)); // on /metrics
        if (backplane is null) services.AddSingleton<IBackplane, RedisBackplane>();
        else services.AddSingleton(backplane);
        services.AddSingleton<ScaleOutRelay>();
        services.AddSingleton<IGatewayBroadcastRelay>(sp => sp.GetRequiredService<ScaleOutRelay>());
        services.AddSingleton<ClusterPresence>();
        services.AddSingleton<IClusterPresence>(sp => sp.GetRequiredService<ClusterPresence>());
        services.AddSingleton<ScaleOutNode>();
        services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<ScaleOutNode>());
        return true;
    }
}
