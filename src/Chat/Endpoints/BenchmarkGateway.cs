using System.Text.Json;
using FastRealtime.Chat.Gateways;
using Microsoft.Extensions.DependencyInjection;

namespace FastRealtime.Chat.Endpoints;

/// <summary>
/// Namespace <c>/bench</c> as a gateway: the room-broadcast convention every Socket.IO server in bench/compare
/// implements (the Node socket.io peer on its main namespace). <c>join(room)</c> joins and acks <c>"ok"</c>;
/// <c>broadcast(room, payload)</c> emits <c>broadcast(payload)</c> to every member of the room, sender included.
/// </summary>
/// <remarks>
/// A gateway, not a hand-written namespace, so the benchmark measures what users' gateways get: the dispatcher, the
/// JSON payload binding and <see cref="GatewayEmission"/>, which with scale-out on also publishes each emission to the
/// other nodes (bench/scaleout). Two arguments reach the handler as one JSON array (NestJS's mapping of several
/// arguments). No per-client message rate limit (like the peers). Plain WebSocket clients reach it too, at <c>/bench</c>, with <c>{"event":"broadcast","data":[room, payload]}</c>.
/// </remarks>
[Gateway(Namespace = BenchmarkSocketIoNamespace.Name, MaxMessagesPerSecond = 0)]
public sealed class BenchmarkGateway
{
    public const string BroadcastEvent = "broadcast";

    [SubscribeMessage("join")]
    public string Join(JsonElement room, GatewayClient client)
    {
        if (RoomName(room) is { } name) client.Join(name);
        return "ok";
    }

    /// <summary><paramref name="arguments"/> is <c>[room, payload]</c>.</summary>
    [SubscribeMessage(BroadcastEvent)]
    public void Broadcast(JsonElement arguments, GatewayClient client)
    {
        if (arguments.ValueKind != JsonValueKind.Array || arguments.GetArrayLength() < 2 || RoomName(arguments[0]) is not { } room) return;
        client.Namespace.To(room).Emit(BroadcastEvent, arguments[1]);
    }

    private static string? RoomName(JsonElement value) => value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}

public static class BenchmarkGatewayServices
{
    /// <summary>The <c>/bench</c> gateway (<see cref="BenchmarkGateway"/>).</summary>
    public static IServiceCollection AddBenchmarkGateway(this IServiceCollection services) => services.AddGateway<BenchmarkGateway>();
}
