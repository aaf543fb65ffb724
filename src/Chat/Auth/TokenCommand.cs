using System.CommandLine;
using System.Globalization;
using FastRealtime.Chat.ChatApp;
using FastRealtime.Chat.Hosting;
using Microsoft.Extensions.Configuration;

namespace FastRealtime.Chat.Auth;

/// <summary>
/// <c>fastrealtime token --sub ID --name NAME [--ttl 1h] [--email E] [--role R]... [--secret S] [--data DIR]</c>: prints a
/// signed JWT (only the token) on stdout. Without <c>--secret</c> it signs with the secret <c>serve</c> would use: the
/// configured Chat:JwtSecret, or else the data folder's development secret (created if missing), so the two agree
/// with zero set-up.
/// </summary>
internal static class TokenCommand
{
    public static Command Create()
    {
        var secret = new Option<string?>("--secret") { Description = "HS256 secret (default: Chat:JwtSecret, else the data folder's development secret)" };
        var subject = new Option<string>("--sub") { Description = "User id (the sub claim)", Required = true };
        var name = new Option<string?>("--name") { Description = "Display name (the name claim; default the user id)" };
        var ttl = new Option<string>("--ttl") { Description = "Lifetime: 30s, 15m, 1h, 7d or a TimeSpan (01:30:00)", DefaultValueFactory = _ => "1h" };
        var email = new Option<string?>("--email") { Description = "The email claim" };
        var roles = new Option<string[]>("--role") { Description = "A role (repeatable): the roles claim", AllowMultipleArgumentsPerToken = true };
        var data = new Option<string?>("--data") { Description = "Data folder holding the development secret (default ./data, as serve)" };

        var command = new Command("token", "Print a signed JWT that this server accepts") { secret, subject, name, ttl, email, roles, data };
        command.SetAction(parse =>
        {
            if (!TryParseDuration(parse.GetValue(ttl)!, out var lifetime))
            {
                Console.Error.WriteLine($"--ttl: expected 30s, 15m, 1h, 7d or hh:mm:ss, got '{parse.GetValue(ttl)}'");
                return 2;
            }
            var overrides = new Dictionary<string, string?>();
            if (parse.GetValue(secret) is string s) overrides[$"{ChatSettings.SectionName}:JwtSecret"] = s;
            if (parse.GetValue(data) is string d) overrides[$"{ChatSettings.SectionName}:DataDirectory"] = d;
            try
            {
                var tokens = JwtTokenService.FromSettings(LoadSettings(overrides));
                string sub = parse.GetValue(subject)!;
                Console.Out.WriteLine(tokens.Create(sub, parse.GetValue(name) ?? sub, lifetime, parse.GetValue(email), parse.GetValue(roles)));
                return 0;
            }
            catch (Exception e) when (e is InvalidOperationException or ArgumentException or IOException or UnauthorizedAccessException)
            {
                Console.Error.WriteLine(e.Message);
                return 1;
            }
        });
        return command;
    }

    /// <summary>The "Chat" section from the sources <c>serve</c> reads (<see cref="HostBuilderFactory"/>), then the flags.</summary>
    internal static ChatSettings LoadSettings(IDictionary<string, string?> overrides) =>
        HostBuilderFactory.Create(overrides).Configuration.GetSection(ChatSettings.SectionName).Get<ChatSettings>() ?? new ChatSettings();

    /// <summary>"30s", "15m", "1h", "7d" (a positive whole number and a unit), or TimeSpan syntax ("01:30:00", "1.00:00:00").</summary>
    internal static bool TryParseDuration(string text, out TimeSpan duration)
    {
        duration = default;
        text = text.Trim();
        if (text.Length >= 2 && "smhd".Contains(text[^1], StringComparison.Ordinal)
            && int.TryParse(text.AsSpan(0, text.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out int amount))
        {
            duration = text[^1] switch
            {
                's' => TimeSpan.FromSeconds(amount),
                'm' => TimeSpan.FromMinutes(amount),
                'h' => TimeSpan.FromHours(amount),
                _ => TimeSpan.FromDays(amount),
            };
        }
        else if (!TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out duration))
        {
            return false;
        }
        return duration > TimeSpan.Zero;
    }
}
