using System.Net;
using FastRealtime.LoadGen.Options;

namespace FastRealtime.LoadGen.Net;

/// <summary>Picks the engine a run's connections use (<see cref="ClientEngine"/>) and resolves the target.</summary>
public static class ClientConnectors
{
    /// <summary>The engine <paramref name="requested"/> resolves to on this machine.</summary>
    public static ClientEngine Resolve(ClientEngine requested) =>
        requested == ClientEngine.Auto ? (EpollWsConnector.IsSupported ? ClientEngine.Epoll : ClientEngine.Socket) : requested;

    public static IClientConnector Create(LoadOptions options, IPEndPoint remote)
    {
        var target = new ClientTarget(remote, ClientHandshake.HostHeader(options.Url), options.ConnectTimeout, options.MaxMessageSize);
        return Resolve(options.Engine) == ClientEngine.Epoll ? new EpollWsConnector(target) : new SocketWsConnector(target);
    }

    /// <summary>Resolves the URL's host (already checked by the target policy) to an endpoint.</summary>
    public static async Task<IPEndPoint> ResolveAsync(Uri url, CancellationToken ct)
    {
        string host = url.IdnHost.Trim('[', ']');
        if (IPAddress.TryParse(host, out IPAddress? ip)) return new IPEndPoint(ip, url.Port);
        if (string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase)) return new IPEndPoint(IPAddress.Loopback, url.Port);
        IPAddress[] addresses = await Dns.GetHostAddressesAsync(host, ct).ConfigureAwait(false);
        return new IPEndPoint(addresses.First(), url.Port);
    }
}
