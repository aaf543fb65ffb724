using System.Net;

namespace FastRealtime.LoadGen.Options;

/// <summary>
/// A load generator is a traffic weapon; by default it only aims at this machine. Any other host must be
/// named explicitly with --allow-host (an exact, case-insensitive match of the URL's host).
/// </summary>
public static class TargetPolicy
{
    public static bool IsAllowed(Uri url, IReadOnlyCollection<string> allowedHosts, out string? error)
    {
        error = null;
        if (url.Scheme != "ws")
        {
            error = $"unsupported scheme '{url.Scheme}': only ws:// is supported";
            return false;
        }
        string host = url.IdnHost.Trim('[', ']');
        if (IsLoopback(host)) return true;
        if (allowedHosts.Any(h => string.Equals(h.Trim('[', ']'), host, StringComparison.OrdinalIgnoreCase))) return true;
        error = $"target host '{host}' is not loopback; pass --allow-host {host} to aim at it explicitly";
        return false;
    }

    public static bool IsLoopback(string host) =>
        string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase)
        || (IPAddress.TryParse(host, out IPAddress? ip) && IPAddress.IsLoopback(ip));
}
