using System.Text;

namespace FastRealtime.Tests.WebSockets.Framing;

/// <summary>Random valid UTF-8 mixing 1- to 4-byte code points (never surrogates).</summary>
internal static class RandomText
{
    public static byte[] Utf8(Random random, int codePoints)
    {
        var builder = new StringBuilder();
        for (int i = 0; i < codePoints; i++)
        {
            int value = random.Next(4) switch
            {
                0 => random.Next(0x20, 0x80),
                1 => random.Next(0x80, 0x800),
                2 => random.Next(2) == 0 ? random.Next(0x800, 0xD800) : random.Next(0xE000, 0x10000),
                _ => random.Next(0x10000, 0x110000),
            };
            builder.Append(char.ConvertFromUtf32(value));
        }

        return Encoding.UTF8.GetBytes(builder.ToString());
    }
}
