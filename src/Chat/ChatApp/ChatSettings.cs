namespace FastRealtime.Chat.ChatApp;

/// <summary>
/// The chat backend's settings, bound from the "Chat" section (appsettings.json, FASTREALTIME_Chat__JwtSecret and the
/// like, then `serve --data/--jwt-secret/--admin-key/--postgres`). Every limit has a safe default.
/// </summary>
public sealed class ChatSettings
{
    public const string SectionName = "Chat";

    /// <summary>Where the embedded history (SQLite) and the generated development secret live.</summary>
    public string DataDirectory { get; set; } = "./data";

    /// <summary>HS256 key of the JWTs clients present; null = development mode (a secret generated once per data folder).</summary>
    public string? JwtSecret { get; set; }

    /// <summary>Required issuer (iss) when set.</summary>
    public string? JwtIssuer { get; set; }

    /// <summary>Required audience (aud) when set.</summary>
    public string? JwtAudience { get; set; }

    /// <summary>Tolerated clock difference when checking exp/nbf.</summary>
    public TimeSpan JwtClockSkew { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Bearer key of POST /api/notifications; null disables that endpoint (401).</summary>
    public string? AdminKey { get; set; }

    /// <summary>Chat messages one socket may send per second on average (excess answers <c>exception</c>).</summary>
    public int MaxMessagesPerSecond { get; set; } = 20;

    /// <summary>Messages one socket may send in a burst above the average rate.</summary>
    public int MessageBurst { get; set; } = 40;

    /// <summary>Messages <c>chat:join-room</c> returns (oldest first).</summary>
    public int RecentMessages { get; set; } = 50;

    /// <summary>Largest page <c>chat:history</c> returns.</summary>
    public int MaxHistoryPage { get; set; } = 200;

    /// <summary>PostgreSQL connection string: the shared history store of several nodes; null = SQLite in <see cref="DataDirectory"/>.</summary>
    public string? Postgres { get; set; }
}
