using System.Globalization;
using FastRealtime.Chat.History;

namespace FastRealtime.Chat.ChatApp;

/// <summary>The chat's event names (shared/spec/chat-protocol.md).</summary>
public static class ChatEvents
{
    public const string JoinRoom = "chat:join-room";
    public const string LeaveRoom = "chat:leave-room";
    public const string SendMessage = "chat:send-message";
    public const string TypingStart = "chat:typing-start";
    public const string TypingStop = "chat:typing-stop";
    public const string History = "chat:history";

    public const string Message = "chat:message";
    public const string UserJoined = "chat:user-joined";
    public const string UserLeft = "chat:user-left";
    public const string Typing = "chat:typing";
    public const string RoomUsers = "chat:room-users";
}

/// <summary>ISO-8601 UTC with milliseconds, as JavaScript's <c>Date.toISOString()</c> writes it.</summary>
internal static class IsoTime
{
    public static string Format(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    public static string Now() => Format(DateTimeOffset.UtcNow);
}

public sealed record ChatUser(string UserId, string UserName);

/// <summary>A stored message on the wire: <c>{id, userId, userName, roomId, text, sentAt}</c>.</summary>
public sealed record ChatMessagePayload(string Id, string UserId, string UserName, string RoomId, string Text, string SentAt)
{
    public static ChatMessagePayload From(ChatMessage m) => new(m.Id, m.UserId, m.UserName, m.RoomId, m.Text, IsoTime.Format(m.SentAt));

    public static ChatMessagePayload[] From(IReadOnlyList<ChatMessage> messages)
    {
        var payloads = new ChatMessagePayload[messages.Count];
        for (int i = 0; i < payloads.Length; i++) payloads[i] = From(messages[i]);
        return payloads;
    }
}

public sealed record JoinRoomAck(string RoomId, IReadOnlyList<ChatUser> Users, IReadOnlyList<ChatMessagePayload> RecentMessages);

public sealed record MessageAck(string Id, string Status, string SentAt);

public sealed record HistoryPage(string RoomId, IReadOnlyList<ChatMessagePayload> Messages);

public sealed record UserJoinedEvent(string UserId, string UserName, string RoomId, string JoinedAt);

public sealed record UserLeftEvent(string UserId, string UserName, string RoomId, string LeftAt);

public sealed record TypingEvent(string UserId, string UserName, string RoomId, bool IsTyping);

public sealed record RoomUsersEvent(string RoomId, IReadOnlyList<ChatUser> Users);
