using System.Runtime.CompilerServices;
using FastRealtime.Core.Buffers;
using FastRealtime.Core.Connections;

namespace FastRealtime.Core.Rooms;

public sealed partial class RoomRegistry
{
    /// <summary>
    /// Encodes once and frames once per protocol present (lazily), then enqueues the shared frame on every target
    /// member, each at most once. The message stays owned by the caller (dispose it after the last walk).
    /// </summary>
    /// <remarks>
    /// Lock-free and non-blocking: the walk reads membership snapshots and only enqueues; a slow member drops or is
    /// closed by its own policy and never delays the others. Members joining or leaving during the walk may or may not
    /// receive the message; members present throughout receive it exactly once. Allocates nothing for single-source
    /// targets; multi-room and except-room targets use a reused per-thread set.
    /// </remarks>
    public BroadcastResult Broadcast<TEncoder>(scoped in BroadcastTarget target, ref BroadcastMessage<TEncoder> message)
        where TEncoder : IBroadcastEncoder, allows ref struct
    {
        ThreadDeferredSends.Flush(); // merged publishes this thread made earlier go first
        var result = new BroadcastResult();
        var except = target.ExceptMember;

        if (target.Kind == BroadcastTarget.TargetKind.Member)
        {
            var member = target.Member!;
            if (!ReferenceEquals(member, except) && !InAnyRoom(member, target.ExceptRoomNames))
                Deliver(member, ref message, ref result);
            return result;
        }

        if (target.ExceptRoomNames.IsEmpty && target.Kind != BroadcastTarget.TargetKind.Rooms)
        {
            DeliverTo(SingleSource(target), new AllBut(except), ref message, ref result);
            return result;
        }
        if (target.ExceptRoomNames.IsEmpty && target.Rooms.Length == 1)
        {
            if (_rooms.TryGetValue(target.Rooms[0], out var only)) DeliverTo(only.Slots, new AllBut(except), ref message, ref result);
            return result;
        }

        int expected = ExpectedSetSize(in target);
        var set = RecipientSetCache.Rent(expected);
        try
        {
            foreach (var name in target.ExceptRoomNames)
                if (_rooms.TryGetValue(name, out var excluded)) AddAll(excluded.Slots, set);
            if (except is not null) set.Add(except);

            if (target.Kind != BroadcastTarget.TargetKind.Rooms)
                DeliverTo(SingleSource(target), new NotIn(set), ref message, ref result);
            else
                foreach (var name in target.Rooms)
                    if (_rooms.TryGetValue(name, out var room)) DeliverTo(room.Slots, new FirstVisit(set), ref message, ref result);
        }
        finally
        {
            RecipientSetCache.Return(set, expected);
        }
        return result;
    }

    /// <summary>Creates the message, broadcasts it and releases the message's references.</summary>
    public BroadcastResult Broadcast<TEncoder>(scoped in BroadcastTarget target, TEncoder encoder, bool isVolatile = false)
        where TEncoder : IBroadcastEncoder, allows ref struct
    {
        var message = new BroadcastMessage<TEncoder>(encoder, isVolatile);
        try
        {
            return Broadcast(in target, ref message);
        }
        finally
        {
            message.Dispose();
        }
    }

    /// <summary>
    /// Sends to every member of <paramref name="room"/>, fire and forget. When the registry has a
    /// <see cref="RoomRegistryOptions.PublishProtocol"/> and this thread is handling a connection's received bytes,
    /// consecutive publishes to the same room are merged and reach the members' queues as one entry when that read is
    /// handled, or before anything else this thread sends or changes: the same bytes in the same order, with far less
    /// work per member. Otherwise it is <see cref="Broadcast{TEncoder}(in BroadcastTarget, TEncoder, bool)"/> to the room.
    /// </summary>
    public void Publish<TEncoder>(string room, TEncoder encoder, bool isVolatile = false)
        where TEncoder : IBroadcastEncoder, allows ref struct
    {
        ArgumentNullException.ThrowIfNull(room);
        if (_publishProtocol < 0 || !Connection.IsReceivingOnThisThread)
        {
            Broadcast(BroadcastTarget.ToRoom(room), encoder, isVolatile);
            return;
        }
        // No room, nobody to reach: encode nothing, as a broadcast would (a later join flushes before it counts).
        if (!_rooms.ContainsKey(room)) return;
        PublishBatch.Add(this, room, isVolatile, encoder.Encode(_publishProtocol) ?? throw new InvalidOperationException(
            $"The broadcast encoder returned no frame for protocol {_publishProtocol}."));
    }

    /// <summary>One framed buffer (possibly several merged messages) to every member of the room; the caller keeps its reference.</summary>
    internal void DeliverToRoom(string room, SharedBuffer frame, bool isVolatile) =>
        Broadcast(BroadcastTarget.ToRoom(room), new FramedEncoder(frame), isVolatile);

    // A frame built already (a merged publish): every member of the registry speaks its protocol.
    private readonly struct FramedEncoder(SharedBuffer frame) : IBroadcastEncoder
    {
        public SharedBuffer Encode(int protocolIndex)
        {
            frame.AddReference(); // the message releases its own reference when it is disposed
            return frame;
        }
    }

    private IRoomMember?[] SingleSource(scoped in BroadcastTarget target) => target.Kind switch
    {
        BroadcastTarget.TargetKind.Room => _rooms.TryGetValue(target.Room!, out var room) ? room.Slots : [],
        BroadcastTarget.TargetKind.Everyone => _everyone.Slots,
        _ => target.Members.Slots,
    };

    // Upper bound of what the set will hold: the excluded plus, for several rooms, every target member.
    private int ExpectedSetSize(scoped in BroadcastTarget target)
    {
        int size = 1;
        foreach (var name in target.ExceptRoomNames) size += MemberCount(name);
        if (target.Kind == BroadcastTarget.TargetKind.Rooms)
            foreach (var name in target.Rooms) size += MemberCount(name);
        return size;
    }

    private bool InAnyRoom(IRoomMember member, ReadOnlySpan<string> rooms)
    {
        if (rooms.IsEmpty || !ReferenceEquals(member.Rooms?.Owner, this)) return false;
        foreach (var name in rooms)
            if (member.Rooms.Contains(name)) return true;
        return false;
    }

    // The hot path: one pass over a slot array, stopping at the first null, skipping tombstones. The filter is a
    // struct generic argument, so each shape compiles to its own loop with no interface call for the test.
    private static void DeliverTo<TFilter, TEncoder>(IRoomMember?[] slots, TFilter filter,
        ref BroadcastMessage<TEncoder> message, ref BroadcastResult result)
        where TFilter : struct, IRecipientFilter
        where TEncoder : IBroadcastEncoder, allows ref struct
    {
        var tombstone = MemberSet.Tombstone;
        foreach (var member in slots)
        {
            if (member is null) break;
            if (ReferenceEquals(member, tombstone) || !filter.Admits(member)) continue;
            Deliver(member, ref message, ref result);
        }
    }

    internal interface IRecipientFilter
    {
        bool Admits(IRoomMember member);
    }

    private readonly struct AllBut(IRoomMember? except) : IRecipientFilter
    {
        public bool Admits(IRoomMember member) => !ReferenceEquals(member, except);
    }

    private readonly struct NotIn(HashSet<IRoomMember> excluded) : IRecipientFilter
    {
        public bool Admits(IRoomMember member) => !excluded.Contains(member);
    }

    // Several sources: the set holds the excluded and everyone already reached, so each recipient gets one copy.
    private readonly struct FirstVisit(HashSet<IRoomMember> seen) : IRecipientFilter
    {
        public bool Admits(IRoomMember member) => seen.Add(member);
    }

    private static void AddAll(IRoomMember?[] slots, HashSet<IRoomMember> set)
    {
        var tombstone = MemberSet.Tombstone;
        foreach (var member in slots)
        {
            if (member is null) break;
            if (!ReferenceEquals(member, tombstone)) set.Add(member);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Deliver<TEncoder>(IRoomMember member, ref BroadcastMessage<TEncoder> message, ref BroadcastResult result)
        where TEncoder : IBroadcastEncoder, allows ref struct
        => result.Record(member.Send(message.FrameFor(member.ProtocolIndex), message.IsVolatile));
}
