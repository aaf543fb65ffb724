using BenchmarkDotNet.Attributes;
using FastRealtime.Core.Rooms;

namespace FastRealtime.Benchmarks.Rooms;

/// <summary>
/// One 100-byte message to a room of N in-memory members (half plain WebSocket, half Socket.IO, so two encodes per
/// broadcast). Divide the mean by the recipients for ns per recipient: N for ToRoom, N - 1 for ExceptSender,
/// 1.5 N for the two half-overlapping rooms, 0.9 N for ExceptRoom.
/// </summary>
[MemoryDiagnoser]
public class RoomBroadcastBenchmarks
{
    private RoomRegistry _registry = null!;
    private NullSinkMember _sender = null!;

    [Params(10, 1_000, 100_000)]
    public int Members { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _registry = new RoomRegistry();
        // Room "a" holds members 0..N-1, room "b" holds N/2..3N/2-1: together 1.5 N distinct members.
        for (int i = 0; i < Members * 3 / 2; i++)
        {
            var member = new NullSinkMember(i, i % 2);
            if (i < Members) _registry.Join(member, "a");
            if (i >= Members / 2) _registry.Join(member, "b");
            if (i < Members && i % 10 == 0) _registry.Join(member, "muted");
            if (i == 0) _sender = member;
        }
    }

    [Benchmark(Baseline = true)]
    public int ToRoom() => _registry.Broadcast(BroadcastTarget.ToRoom("a"), new HundredByteEncoder()).Recipients;

    [Benchmark]
    public int ToRoomExceptSender() =>
        _registry.Broadcast(BroadcastTarget.ToRoom("a").Except(_sender), new HundredByteEncoder()).Recipients;

    [Benchmark]
    public int ToTwoRoomsDeduplicated() =>
        _registry.Broadcast(BroadcastTarget.ToRooms(["a", "b"]), new HundredByteEncoder()).Recipients;

    [Benchmark]
    public int ToRoomExceptRoom() =>
        _registry.Broadcast(BroadcastTarget.ToRoom("a").ExceptRooms(["muted"]), new HundredByteEncoder()).Recipients;
}
