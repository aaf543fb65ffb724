namespace FastRealtime.Core.Rooms;

/// <summary>A named room of one <see cref="RoomRegistry"/>; its members are a lock-free readable <see cref="MemberSet"/>.</summary>
/// <remarks>Once <see cref="MemberSet.IsRetired"/> is set (under the set's lock, when the last member left) the room is
/// out of the registry's dictionary and a joiner that still found it must look the name up again.</remarks>
internal sealed class Room(string name) : MemberSet
{
    internal readonly string Name = name;
}
