using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using FastRealtime.Core.Connections;
using FastRealtime.Core.Epoll;

namespace FastRealtime.LoadGen.Net;

/// <summary>
/// Opens <see cref="EpollWsClientProtocol"/> connections on the project's epoll engine (Linux x64): one event-loop
/// thread per core serves every connection of the process, reading in batches and flushing replies once per batch.
/// </summary>
public sealed class EpollWsConnector : IClientConnector
{
    // One engine per process, shared by every run (ramp steps, tests): its loop threads idle on epoll_wait when
    // nothing is connected, and per-run engines would leave threads behind. Created on first use.
    private static readonly Lazy<EpollClient> s_client = new(CreateClient, LazyThreadSafetyMode.ExecutionAndPublication);

    private readonly ClientTarget _target;

    public EpollWsConnector(ClientTarget target) => _target = target;

    public static bool IsSupported => EpollClient.IsSupported;

    public async Task<ConnectOutcome> ConnectAsync(string pathAndQuery, IPAddress? localAddress, CancellationToken ct)
    {
        long start = Stopwatch.GetTimestamp();
        var protocol = new EpollWsClientProtocol(new ClientHandshake(_target.HostHeader, pathAndQuery), _target.MaxMessageSize);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(_target.ConnectTimeout);
        string stage = "connect";
        string? failure;
        try
        {
            await s_client.Value.ConnectAsync(_target.Remote, protocol, localAddress).WaitAsync(timeout.Token).ConfigureAwait(false);
            stage = "handshake";
            failure = await protocol.Handshake.WaitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            protocol.Abandon();
            failure = ct.IsCancellationRequested ? "cancelled" : $"{stage}-timeout";
        }
        catch (SocketException e)
        {
            failure = ClientHandshake.SocketErrorKind(stage, e.SocketErrorCode);
        }
        long elapsed = Stopwatch.GetTimestamp() - start;
        return failure is null ? new ConnectOutcome(protocol, null, elapsed) : new ConnectOutcome(null, failure, elapsed);
    }

    private static EpollClient CreateClient() => new(eventLoops: 0, new ConnectionOptions
    {
        // The frame reader consumes whole frames and reassembles large messages itself; what the core keeps between
        // reads is at most one partial frame header plus an in-place frame, far below this bound.
        MaxReceiveBufferBytes = 1024 * 1024,
    });
}
