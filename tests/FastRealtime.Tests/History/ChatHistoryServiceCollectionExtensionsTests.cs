using FastRealtime.Chat.History;
using Microsoft.Extensions.DependencyInjection;

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
}
