namespace FastRealtime.Chat.History;

/// <summary>
/// One stored chat message, as clients see it (shared/spec/chat-protocol.md: <c>ChatMessage</c>).
/// <see cref="SentAt"/> is UTC; on the wire it is an ISO-8601 string. <see cref="Id"/> sorts (ordinal) in sending order
/// across restarts and nodes, so it is also the cursor for paging history.
/// </summary>
public sealed record ChatMessage(string Id, string UserId, string UserName, string RoomId, string Text, DateTimeOffset SentAt);
