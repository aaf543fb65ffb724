using System.Globalization;
using System.Net;

namespace FastRealtime.LoadGen.Options;

/// <summary>Parsers for the CLI's compact value syntaxes. They return false with a message instead of throwing.</summary>
public static class ValueParsers
{
    /// <summary>"10s", "500ms", "2m", "1h", "1.5s"; a bare number means seconds.</summary>
    public static bool TryParseDuration(string text, out TimeSpan value, out string? error)
    {
        value = default;
        error = null;
        string s = text.Trim().ToLowerInvariant();
        (string unit, double scaleMs) = s.EndsWith("ms", StringComparison.Ordinal) ? ("ms", 1.0)
            : s.EndsWith("us", StringComparison.Ordinal) ? ("us", 0.001)
            : s.EndsWith('s') ? ("s", 1000.0)
            : s.EndsWith('m') ? ("m", 60_000.0)
            : s.EndsWith('h') ? ("h", 3_600_000.0)
            : ("", 1000.0);
        string number = s[..^unit.Length];
        if (!double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out double amount) || amount < 0 || double.IsInfinity(amount))
        {
            error = $"'{text}' is not a duration (use e.g. 10s, 500ms, 2m)";
            return false;
        }
        value = TimeSpan.FromMilliseconds(amount * scaleMs);
        return true;
    }

    /// <summary>"p99=50ms", "p99.9=200ms,p50=5ms".</summary>
    public static bool TryParseSlo(string text, out List<SloTarget> targets, out string? error)
    {
        targets = [];
        error = null;
        foreach (string part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            int eq = part.IndexOf('=');
            if (eq < 2 || (part[0] != 'p' && part[0] != 'P')
                || !double.TryParse(part.AsSpan(1, eq - 1), NumberStyles.Float, CultureInfo.InvariantCulture, out double percentile)
                || percentile <= 0 || percentile > 100)
            {
                error = $"'{part}' is not a latency objective (use e.g. p99=50ms)";
                return false;
            }
            if (!TryParseDuration(part[(eq + 1)..], out TimeSpan threshold, out error)) return false;
            targets.Add(new SloTarget(percentile, threshold));
        }
        if (targets.Count == 0)
        {
            error = "empty latency objective";
            return false;
        }
        return true;
    }

    /// <summary>"127.0.0.1-127.0.0.16" (an IPv4 range), or a comma-separated list of addresses.</summary>
    public static bool TryParseAddressList(string text, out List<IPAddress> addresses, out string? error)
    {
        addresses = [];
        error = null;
        foreach (string part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            int dash = part.IndexOf('-');
            if (dash < 0)
            {
                if (!IPAddress.TryParse(part, out IPAddress? single))
                {
                    error = $"'{part}' is not an IP address";
                    return false;
                }
                addresses.Add(single);
                continue;
            }
            if (!IPAddress.TryParse(part[..dash], out IPAddress? first) || !IPAddress.TryParse(part[(dash + 1)..], out IPAddress? last)
                || first.AddressFamily != System.Net.Sockets.AddressFamily.InterNetwork || last.AddressFamily != first.AddressFamily)
            {
                error = $"'{part}' is not an IPv4 range (use e.g. 127.0.0.1-127.0.0.16)";
                return false;
            }
            uint from = ToUInt32(first), to = ToUInt32(last);
            if (to < from || to - from >= 65_536)
            {
                error = $"'{part}' is empty or larger than 65536 addresses";
                return false;
            }
            for (uint a = from; a <= to; a++) addresses.Add(FromUInt32(a));
        }
        if (addresses.Count == 0)
        {
            error = "no source address given";
            return false;
        }
        return true;
    }

    private static uint ToUInt32(IPAddress address)
    {
        Span<byte> b = stackalloc byte[4];
        address.TryWriteBytes(b, out _);
        return (uint)(b[0] << 24 | b[1] << 16 | b[2] << 8 | b[3]);
    }

    private static IPAddress FromUInt32(uint value) =>
        new([(byte)(value >> 24), (byte)(value >> 16), (byte)(value >> 8), (byte)value]);
}
