namespace FastRealtime.Core.Rooms;

/// <summary>Limits of one <see cref="RoomRegistry"/>.</summary>
public sealed class RoomRegistryOptions
{
    /// <summary>
    /// Rooms one member may be in at once (a client that picks room names must not grow server memory without bound).
    /// Joins past it answer <see cref="RoomJoinResult.TooManyRooms"/>.
    /// </summary>
    public int MaxRoomsPerMember { get; set; } = 1024;

    /// <summary>
    /// The wire protocol (<see cref="IRoomMember.ProtocolIndex"/>) of every member, when its frames can be sent back to
    /// back as one byte run (WebSocket frames can; Engine.IO long-polling payloads cannot). Setting it lets
    /// <see cref="RoomRegistry.Publish{TEncoder}"/> merge consecutive publishes, and makes members of any other
    /// protocol unable to join. Null (the default): every publish is a plain broadcast.
    /// </summary>
    public int? PublishProtocol { get; set; }
}

/// <summary>What <see cref="RoomRegistry.Join"/> did.</summary>
public enum RoomJoinResult : byte
{
    Joined,

    /// <summary>The member was already in the room; nothing changed.</summary>
    AlreadyMember,

    /// <summary>The member was removed from the registry (disconnected); it joins nothing any more.</summary>
    MemberRemoved,

    /// <summary>The member is in <see cref="RoomRegistryOptions.MaxRoomsPerMember"/> rooms already.</summary>
    TooManyRooms,
}
