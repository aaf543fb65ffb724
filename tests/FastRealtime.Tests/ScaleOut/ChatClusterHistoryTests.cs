using System.Text.Json;
using FastRealtime.Tests.History;

namespace FastRealtime.Tests.ScaleOut;

/// <summary>
/// Two real nodes sharing one PostgreSQL history (<c>--postgres</c>) and one Redis: a message acked on node A is in the
/// recent messages node B answers a join with (with the default SQLite each node has only its own).
/// </summary>
public sealed class ChatClusterHistoryTests(RedisFixture redis, PostgresServerFixture postgres)
    : IClassFixture<RedisFixture>, IClassFixture<PostgresServerFixture>
{
    [Fact]
    public async Task Join_OnNodeB_RecentMessagesHoldWhatWasSentOnNodeA()
    {
        string connectionString = postgres.CreateSchema(out _);
        await using var cluster = await ChatCluster.StartAsync(redis.Redis, redis.NewPrefix(), 2, "--postgres", connectionString);
        await using var alice = await ChatCluster.ConnectAsync(cluster.A, "u-alice", "Alice");
        await using var bob = await ChatCluster.ConnectAsync(cluster.B, "u-bob", "Bob");
        await alice.AckAsync("chat:join-room", new { roomId = "shared" });

        var first = await alice.AckAsync("chat:send-message", new { roomId = "shared", text = "stored on A" });
        var second = await alice.AckAsync("chat:send-message", new { roomId = "shared", text = "and again" });
        var joined = await bob.AckAsync("chat:join-room", new { roomId = "shared" });
        var page = await bob.AckAsync("chat:history", new { roomId = "shared" });

        string[] Ids(JsonElement messages) => [.. messages.EnumerateArray().Select(m => m.GetProperty("id").GetString()!)];
        Assert.Equal([first.GetProperty("id").GetString()!, second.GetProperty("id").GetString()!], Ids(joined.GetProperty("recentMessages")));
        Assert.Equal("stored on A", joined.GetProperty("recentMessages")[0].GetProperty("text").GetString());
        Assert.Equal(Ids(joined.GetProperty("recentMessages")), Ids(page.GetProperty("messages")));
    }
}
