using BenchmarkDotNet.Attributes;
using FastRealtime.Core.Rooms;

namespace FastRealtime.Benchmarks.Rooms;

/// <summary>
/// One 100-byte message to a room of N in-memory members (half plain WebSocket, half Socket.IO, so two encodes per
/// broadcast). Divide the mean by the recipients for ns per recipient: N for ToRoom, N - 1 for ExceptSender,
/// 1.5 N for the two half-overlapping rooms, 0.9 N for ExceptRoom.
/// </summary>
/// <remarks>
/// Recorded 2026-11-22, ShortRun in-process, .NET 10.0.12, AMD EPYC 2 cores shared with other builds (load 10-16,
/// so order of magnitude only). Every row 0 B allocated (the one 39 B/op at 100,000 ExceptRoom is other threads seen
/// by the in-process diagnoser; BroadcastAllocationTests counts 0 B on the broadcasting thread for that path).
/// <code>
/// | Method                 | Members |    Mean | ns/recipient |
/// | ToRoom                 |      10 |  0.58 us |  58 (2 encodes dominate) |
/// | ToRoomExceptSender     |      10 |  0.57 us |  63 |
/// | ToTwoRoomsDeduplicated |      10 |  0.96 us |  64 |
/// | ToRoom                 |   1,000 | 19.5 us  |  20 |
/// | ToRoomExceptSender     |   1,000 | 19.4 us  |  19 |
/// | ToTwoRoomsDeduplicated |   1,000 | 58.0 us  |  39 |
/// | ToRoomExceptRoom       |   1,000 | 24.9 us  |  28 |
/// | ToRoom                 | 100,000 |  3.7 ms  |  37 |
/// | ToRoomExceptSender     | 100,000 |  2.8 ms  |  28 |
/// | ToTwoRoomsDeduplicated | 100,000 | 21.0 ms  | 140 (150,000-entry set, cache misses) |
/// | ToRoomExceptRoom       | 100,000 |  5.4 ms  |  60 |
/// </code>
/// Per recipient the sink does two interlocked operations on the shared buffer (take and drop its reference),
/// as a real connection does at enqueue and after send; that is most of the single-room cost.
/// </remarks>
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

    [ZeroAllocation]
    public int ToRoom() => _registry.Broadcast(BroadcastTarget.ToRoom("a"), new HundredByteEncoder()).Recipients;

    [Benchmark]

    [ZeroAllocation]
    public int ToRoomExceptSender() =>
        _registry.Broadcast(BroadcastTarget.ToRoom("a").Except(_sender), new HundredByteEncoder()).Recipients;

    [Benchmark]

    [ZeroAllocation]
    public int ToTwoRoomsDeduplicated() =>
        _registry.Broadcast(BroadcastTarget.ToRooms(["a", "b"]), new HundredByteEncoder()).Recipients;

    [Benchmark]

    [ZeroAllocation]
    public int ToRoomExceptRoom() =>
        _registry.Broadcast(BroadcastTarget.ToRoom("a").ExceptRooms(["muted"]), new HundredByteEncoder()).Recipients;
}
