using System.Diagnostics.Metrics;
using FastRealtime.Chat.ChatApp;
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
    public static IServiceCollection AddSqliteChatHistory(this IServiceCollection services, Action<SqliteHistoryOptions>? configure = null) =>
        AddStore(services, configure, static (options, provider) =>
            new SqliteChatHistoryStore(options, provider.GetService<ILogger<SqliteChatHistoryStore>>(), CreateMeter(provider)));

    /// <summary>
    /// The shared PostgreSQL store, configured through <c>IOptions&lt;PostgresHistoryOptions&gt;</c> and
    /// <paramref name="configure"/> (which must set the connection string). Connects and creates the table when first resolved.
    /// </summary>
    public static IServiceCollection AddPostgresChatHistory(this IServiceCollection services, Action<PostgresHistoryOptions>? configure = null) =>
        AddStore(services, configure, static (options, provider) =>
            new PostgresChatHistoryStore(options, provider.GetService<ILogger<PostgresChatHistoryStore>>(), CreateMeter(provider)));

    /// <summary>
    /// The store <paramref name="settings"/> choose: PostgreSQL when <see cref="ChatSettings.Postgres"/> is set, else
    /// SQLite in <see cref="ChatSettings.DataDirectory"/>; other options keep their defaults unless configured.
    /// </summary>
    public static IServiceCollection AddChatHistory(this IServiceCollection services, ChatSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return string.IsNullOrWhiteSpace(settings.Postgres)
            ? services.AddSqliteChatHistory(o => o.DataDirectory = settings.DataDirectory)
            : services.AddPostgresChatHistory(o => o.ConnectionString = settings.Postgres);
    }

    private static IServiceCollection AddStore<TOptions>(IServiceCollection services, Action<TOptions>? configure,
        Func<TOptions, IServiceProvider, IChatHistoryStore> create)
        where TOptions : class
    {
        ArgumentNullException.ThrowIfNull(services);
        OptionsBuilder<TOptions> options = services.AddOptions<TOptions>();
        if (configure is not null) options.Configure(configure);
        services.AddSingleton(provider => create(provider.GetRequiredService<IOptions<TOptions>>().Value, provider));
        return services;
    }

    private static Meter? CreateMeter(IServiceProvider provider) => provider.GetService<IMeterFactory>()?.Create(MeterName);
}
