using System.Text.Json;
using FastRealtime.Chat.Gateways;
using Microsoft.Extensions.Logging;

namespace FastRealtime.Chat.Demo;

/// <summary>
/// Seed 001's gateway (shared/spec/chat-protocol.md, "Seed 001 demo gateway") on the main namespace "/":
/// <c>events</c> answers three events with data 1, 2, 3; <c>identity</c> answers its data unchanged.
/// </summary>
[Gateway]
public sealed class DemoGateway(DemoGatewayStats stats, ILogger<DemoGateway> logger) : IOnGatewayConnection, IOnGatewayDisconnect
{
    // The seed's `of([1, 2, 3]).pipe(map(item => ({ event: 'events', data: item })))`, built once.
    private static readonly WsResponse<int>[] s_events = [new("events", 1), new("events", 2), new("events", 3)];

    public DemoGatewayStats Stats => stats;

    [SubscribeMessage("events")]
    public IReadOnlyList<WsResponse<int>> FindAll() => s_events;

    [SubscribeMessage("identity")]
    public JsonElement Identity(JsonElement data) => data;

    public ValueTask HandleConnection(GatewayClient client)
    {
        stats.Connected(client);
        logger.LogDebug("Client connected: {Client}", client.Id);
        return ValueTask.CompletedTask;
    }

    public ValueTask HandleDisconnect(GatewayClient client)
    {
        stats.Disconnected(client);
        logger.LogDebug("Client disconnected: {Client}", client.Id);
        return ValueTask.CompletedTask;
    }
}

/// <summary>What the demo gateway's lifecycle hooks saw (tests and diagnostics read it).</summary>
public sealed class DemoGatewayStats
{
    private int _connections;
    private int _disconnections;

    public int Connections => Volatile.Read(ref _connections);

    public int Disconnections => Volatile.Read(ref _disconnections);

    /// <summary>Raised after each hook with the client (tests wait on it instead of polling).</summary>
    public event Action<GatewayClient, bool>? Changed;

    internal void Connected(GatewayClient client)
    {
        Interlocked.Increment(ref _connections);
        Changed?.Invoke(client, true);
    }

    internal void Disconnected(GatewayClient client)
    {
        Interlocked.Increment(ref _disconnections);
        Changed?.Invoke(client, false);
    }
}
