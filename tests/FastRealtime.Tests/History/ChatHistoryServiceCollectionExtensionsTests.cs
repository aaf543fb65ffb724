using FastRealtime.Chat.ChatApp;
using FastRealtime.Chat.History;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Npgsql;

namespace FastRealtime.Tests.History;

public sealed class ChatHistoryServiceCollectionExtensionsTests : IDisposable
{
    private readonly TempDataFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task AddSqliteChatHistory_Resolved_OneSqliteStoreInTheConfiguredFolderFlushedWithTheContainer()
    {
        var services = new ServiceCollection().AddLogging().AddMetrics();
        services.AddSqliteChatHistory(o => o.DataDirectory = _folder.Path);
        var message = new ChatMessage(ChatMessageId.New(), "u", "U", "general", "hi", DateTimeOffset.UnixEpoch);

        await using (ServiceProvider provider = services.BuildServiceProvider())
        {
            var store = provider.GetRequiredService<IChatHistoryStore>();
            Assert.Same(store, provider.GetRequiredService<IChatHistoryStore>());
            Assert.Equal(_folder.File("history.db"), Assert.IsType<SqliteChatHistoryStore>(store).DatabasePath);
            await store.AppendAsync(message);
        }

        await using var reopened = new SqliteChatHistoryStore(new SqliteHistoryOptions { DataDirectory = _folder.Path });
        Assert.Equal([message], await reopened.GetRecentAsync("general", 5));
    }

    [Fact]
    public async Task AddChatHistory_NoPostgresSetting_SqliteInTheDataDirectory()
    {
        var services = new ServiceCollection();
        services.AddChatHistory(new ChatSettings { DataDirectory = _folder.Path });

        await using ServiceProvider provider = services.BuildServiceProvider();
        var store = Assert.IsType<SqliteChatHistoryStore>(provider.GetRequiredService<IChatHistoryStore>());
        Assert.Equal(_folder.File("history.db"), store.DatabasePath);
    }

    [Fact]
    public void AddChatHistory_PostgresSetting_PostgresWithThatConnectionString()
    {
        var services = new ServiceCollection();
        services.AddChatHistory(new ChatSettings { DataDirectory = _folder.Path, Postgres = "Host=127.0.0.1;Port=1" });

        using ServiceProvider provider = services.BuildServiceProvider();
        Assert.Equal("Host=127.0.0.1;Port=1",
            provider.GetRequiredService<IOptions<PostgresHistoryOptions>>().Value.ConnectionString);
        Assert.ThrowsAny<NpgsqlException>(() => provider.GetRequiredService<IChatHistoryStore>()); // it really is the PostgreSQL store
    }
}
