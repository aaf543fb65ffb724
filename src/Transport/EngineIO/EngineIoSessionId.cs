using System.Buffers.Text;
using System.Security.Cryptography;

namespace FastRealtime.Transport.EngineIO;

/// <summary>Unguessable ids for sessions and sockets: 15 bytes (120 bits) from the OS CSPRNG, base64url (20 characters).</summary>
public static class EngineIoSessionId
{
    public const int Length = 20;

    public static string Create()
    {
        Span<byte> random = stackalloc byte[15];
        RandomNumberGenerator.Fill(random);
        return Base64Url.EncodeToString(random);
    }
}
