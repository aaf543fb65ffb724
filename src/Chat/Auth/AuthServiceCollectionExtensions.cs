using FastRealtime.Chat.ChatApp;
using FastRealtime.Chat.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace FastRealtime.Chat.Auth;

public static class AuthServiceCollectionExtensions
{
    /// <summary>
    /// JWT authentication: <see cref="JwtSecretProvider"/> (configured secret or the data folder's development one),
    /// <see cref="JwtTokenService"/> and <see cref="JwtConnectionGuard"/>, all singletons. The secret is read (or created)
    /// when first resolved, and a too-short secret throws then: resolve <see cref="JwtTokenService"/> at start-up.
    /// </summary>
    public static IServiceCollection AddChatAuth(this IServiceCollection services, ChatSettings settings)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(settings);
        bool exportMeter = !services.Any(d => d.ServiceType == typeof(JwtTokenService)); // once, however often this is called
        services.TryAddSingleton(_ => new JwtSecretProvider(settings));
        services.TryAddSingleton(sp => new JwtTokenService(sp.GetRequiredService<JwtSecretProvider>(), settings));
        services.TryAddSingleton<JwtConnectionGuard>();
        if (exportMeter) services.AddSingleton(sp => new ExportedMeter(sp.GetRequiredService<JwtTokenService>().Meter)); // on /metrics
        return services;
    }
}
