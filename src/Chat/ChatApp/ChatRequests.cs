using System.ComponentModel.DataAnnotations;

namespace FastRealtime.Chat.ChatApp;

/// <summary>
/// What clients send to <c>/chat</c>, validated by the gateway framework before a handler runs (a failure answers
/// <c>exception</c> naming the field, and nothing is stored or broadcast).
/// </summary>
/// <remarks>
/// Room ids are 1..64 characters of letters, digits and <c>_ - : .</c>, so they are safe in logs, URLs and keys.
/// Text is checked as sent, not trimmed: 1..2000 UTF-16 code units with at least one non-white-space character
/// (<see cref="RequiredAttribute"/> refuses white space only); it is stored and delivered unchanged.
/// </remarks>
public class RoomRequest
{
    public const string RoomIdPattern = "^[A-Za-z0-9_\\-:.]{1,64}$";

    [Required]
    [RegularExpression(RoomIdPattern, ErrorMessage = "The field {0} must be 1 to 64 characters of letters, digits, '_', '-', ':' or '.'.")]
    public string RoomId { get; set; } = "";
}

/// <summary><c>chat:send-message</c> {roomId, text}.</summary>
public sealed class SendMessageRequest : RoomRequest
{
    public const int MaxTextLength = 2000;

    [Required]
    [StringLength(MaxTextLength)]
    public string Text { get; set; } = "";
}

/// <summary><c>chat:history</c> {roomId, before?, limit?} (beyond the seeds): pages back from the message <c>before</c>.</summary>
public sealed class HistoryRequest : RoomRequest
{
    /// <summary>The id of the oldest message the client has; null starts at the newest.</summary>
    [StringLength(64)]
    public string? Before { get; set; }

    /// <summary>Messages wanted; 0 or absent means <see cref="ChatSettings.RecentMessages"/>, capped at <see cref="ChatSettings.MaxHistoryPage"/>.</summary>
    [Range(0, int.MaxValue)]
    public int Limit { get; set; }
}
