using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FastRealtime.Chat.History;

/// <summary>Registers a history store as the <see cref="IChatHistoryStore"/> singleton (disposed, so flushed, with the container).</summary>
public static class ChatHistoryServiceCollectionExtensions
{
    /// <summary>The meter the stores' instruments are created on when the container has an <see cref="IMeterFactory"/>.</summary>
    public const string MeterName = "FastRealtime.Chat.History";

    /// <summary>
    /// The embedded SQLite store, configured through <c>IOptions&lt;SqliteHistoryOptions&gt;</c> and
    /// <paramref name="configure"/>. The file is opened (and migrated) when the store is first resolved.
    /// </summary>
    public static IServiceCollection AddSqliteChatHistory(this IServiceCollection services, Action<SqliteHistoryOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        OptionsBuilder<SqliteHistoryOptions> options = services.AddOptions<SqliteHistoryOptions>();
        if (configure is not null) options.Configure(configure);
        services.AddSingleton<IChatHistoryStore>(provider => new SqliteChatHistoryStore(
            provider.GetRequiredService<IOptions<SqliteHistoryOptions>>().Value,
            provider.GetService<ILogger<SqliteChatHistoryStore>>(),
            CreateMeter(provider)));
        return services;
    }

    internal static Meter? CreateMeter(IServiceProvider provider) => provider.GetService<IMeterFactory>()?.Create(MeterName);
}
