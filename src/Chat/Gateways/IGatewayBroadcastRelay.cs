namespace FastRealtime.Chat.Gateways;

/// <summary>Who a relayed emission reaches (a one-client emission is never relayed).</summary>
public enum GatewayRelayTarget : byte
{
    Everyone = 0,
    Rooms = 1,
    User = 2,
}

/// <summary>
/// One gateway emission as it leaves the node (or arrives from another one): the namespace, the target, its
/// refinements and the event's data, already serialized to UTF-8 JSON once.
/// </summary>
/// <remarks>A ref struct over the emitter's own spans: valid only during the call it is passed to.</remarks>
public readonly ref struct GatewayRelayedEmission
{
    public GatewayRelayedEmission(string @namespace, GatewayRelayTarget target, ReadOnlySpan<string> rooms, ReadOnlySpan<string> exceptRooms,
        string? exceptClientId, string? userId, string @event, ReadOnlySpan<byte> dataJson, bool isVolatile)
    {
        Namespace = @namespace;
        Target = target;
        Rooms = rooms;
        ExceptRooms = exceptRooms;
        ExceptClientId = exceptClientId;
        UserId = userId;
        Event = @event;
        DataJson = dataJson;
        IsVolatile = isVolatile;
    }

    public string Namespace { get; }
    public GatewayRelayTarget Target { get; }

    /// <summary>The rooms (target <see cref="GatewayRelayTarget.Rooms"/>); members of any of them, each once.</summary>
    public ReadOnlySpan<string> Rooms { get; }

    public ReadOnlySpan<string> ExceptRooms { get; }

    /// <summary>
    /// The client skipped on the emitting node (the sender). Client ids are unique per node only, so a node that
    /// receives the emission from elsewhere does not apply it: the sender is not one of its clients.
    /// </summary>
    public string? ExceptClientId { get; }

    /// <summary>The user (target <see cref="GatewayRelayTarget.User"/>).</summary>
    public string? UserId { get; }

    public string Event { get; }
    public ReadOnlySpan<byte> DataJson { get; }
    public bool IsVolatile { get; }
}

/// <summary>
/// The scale-out seam: told of every emission to rooms, everyone or a user, right after the local delivery, so it can
/// hand the emission to other nodes (which deliver it with <see cref="GatewayNamespace.DeliverRelayed"/>).
/// Emissions to one client (<c>ToClient</c>, <c>client.Emit</c>, acks) never reach it.
/// </summary>
/// <remarks>
/// Optional: <see cref="GatewayServer"/> takes one from DI when registered (scale-out on); without it an emission costs
/// one null check more. Called on the emitting thread: must not block and must copy what it keeps.
/// </remarks>
public interface IGatewayBroadcastRelay
{
    void Relay(scoped in GatewayRelayedEmission emission);
}
