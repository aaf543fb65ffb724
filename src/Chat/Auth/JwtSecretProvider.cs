using System.Security.Cryptography;
using System.Text;
using FastRealtime.Chat.ChatApp;

namespace FastRealtime.Chat.Auth;

/// <summary>
/// The HS256 secret client JWTs are signed with: <see cref="ChatSettings.JwtSecret"/> when configured, otherwise a
/// development secret generated once per data folder (<c>&lt;DataDirectory&gt;/jwt-secret</c>) and reused, so that
/// <c>fastrealtime serve</c> and <c>fastrealtime token</c> agree with zero set-up.
/// </summary>
/// <remarks>
/// Secrets shorter than <see cref="MinimumSecretBytes"/> are refused at start-up rather than stretched: RFC 7518 §3.2
/// requires an HS256 key of at least the hash size (256 bits), and hashing a short secret into a longer key would make
/// our signatures differ from every other JWT library given the same secret (they use its bytes as the HMAC key).
/// The secret's UTF-8 bytes are the key, as in Node's jsonwebtoken. Thread-safe (immutable after construction).
/// </remarks>
public sealed class JwtSecretProvider
{
    /// <summary>The smallest secret accepted, in UTF-8 bytes: 256 bits, the output size of SHA-256 (RFC 7518 §3.2).</summary>
    public const int MinimumSecretBytes = 32;

    /// <summary>The development secret's file name inside the data folder.</summary>
    public const string SecretFileName = "jwt-secret";

    private const int GeneratedSecretBytes = 32;

    public JwtSecretProvider(ChatSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (string.IsNullOrEmpty(settings.JwtSecret))
        {
            IsDevelopment = true;
            SecretFilePath = Path.GetFullPath(Path.Combine(settings.DataDirectory, SecretFileName));
            Secret = LoadOrCreate(SecretFilePath);
        }
        else
        {
            Secret = settings.JwtSecret;
        }
        if (Encoding.UTF8.GetByteCount(Secret) < MinimumSecretBytes)
        {
            string origin = IsDevelopment ? $"The development secret in {SecretFilePath}" : "The JWT secret (Chat:JwtSecret, serve --jwt-secret, token --secret, FASTREALTIME_Chat__JwtSecret)";
            throw new InvalidOperationException(
                $"{origin} is {Encoding.UTF8.GetByteCount(Secret)} bytes; HS256 needs at least {MinimumSecretBytes} bytes (256 bits, RFC 7518 §3.2). " +
                "Generate one with `openssl rand -base64 32`.");
        }
    }

    /// <summary>The secret; its UTF-8 bytes are the HMAC key.</summary>
    public string Secret { get; }

    /// <summary>True when no secret is configured: the generated development secret is in use (and /api/dev/token is served).</summary>
    public bool IsDevelopment { get; }

    /// <summary>Where the development secret lives; null when a secret is configured.</summary>
    public string? SecretFilePath { get; }

    /// <summary>
    /// Reads the secret at <paramref name="path"/>, or creates it: 32 random bytes as base64url, mode 0600. Creation is
    /// atomic and first-writer-wins: the secret is written whole to a private temporary file, then linked into place
    /// without overwriting (File.Move without overwrite fails if the target exists), so concurrent first starts (two
    /// processes, or threads) all end up with the one secret that won, and no reader ever sees a half-written file.
    /// </summary>
    public static string LoadOrCreate(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (TryRead(path) is { } existing) return existing;
        string directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(directory);
        string temporary = Path.Combine(directory, $".{SecretFileName}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            WritePrivate(temporary, System.Buffers.Text.Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(GeneratedSecretBytes)));
            try
            {
                File.Move(temporary, path, overwrite: false);
            }
            catch (IOException) when (File.Exists(path))
            {
                // Another process or thread created it first: theirs is the secret.
            }
        }
        finally
        {
            File.Delete(temporary);
        }
        return TryRead(path) ?? throw new InvalidOperationException($"The development JWT secret {path} is empty.");
    }

    private static string? TryRead(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path, Encoding.UTF8);
        }
        catch (FileNotFoundException)
        {
            return null;
        }
        catch (DirectoryNotFoundException)
        {
            return null;
        }
        text = text.Trim();
        return text.Length == 0 ? null : text;
    }

    private static void WritePrivate(string path, string secret)
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using var stream = new FileStream(path, options);
        stream.Write(Encoding.UTF8.GetBytes(secret + "\n"));
        stream.Flush(flushToDisk: true); // durable before it becomes visible under its real name
    }
}
