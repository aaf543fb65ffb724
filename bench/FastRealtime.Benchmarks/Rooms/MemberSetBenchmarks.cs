using System.Collections.Concurrent;
using BenchmarkDotNet.Attributes;
using FastRealtime.Core.Rooms;

namespace FastRealtime.Benchmarks.Rooms;

/// <summary>
/// Our lock-free slot array (MemberSet) against a read-optimized concurrent set (ConcurrentDictionary keys, as
/// SignalR's HubGroupList keeps groups): the walk a broadcast does, and a join + leave in a room of N.
/// </summary>
/// <remarks>
/// Recorded 2026-11-22, ShortRun in-process, .NET 10.0.12, AMD EPYC 2 cores shared with other builds (load 10-16,
/// so treat as order of magnitude):
/// <code>
/// | Method                        | Members |      Mean | Allocated |
/// | WalkSlotArray                 |   1,000 |    2.5 us |       0 B |
/// | WalkConcurrentDictionaryKeys  |   1,000 |    4.4 us |       0 B |
/// | WalkSlotArray                 | 100,000 |    2.1 ms |       0 B |
/// | WalkConcurrentDictionaryKeys  | 100,000 |   12.0 ms |       0 B |
/// | JoinLeaveSlotArray            | 100,000 |     60 ns |       0 B |
/// | JoinLeaveConcurrentDictionary | 100,000 |    112 ns |      40 B |
/// | JoinLeaveRegistry (full path) | 100,000 |    228 ns |      64 B |
/// </code>
/// The slot array wins both: walks 1.8x-6x faster (contiguous references vs the dictionary's linked nodes) and
/// join + leave is cheaper too, thanks to the append-in-place/slot-hint design (a plain copy-on-write array would
/// copy 100,000 references per change). Kept.
/// </remarks>
[MemoryDiagnoser]
public class MemberSetBenchmarks
{
    private MemberSet _slots = null!;
    private ConcurrentDictionary<IRoomMember, byte> _dictionary = null!;
    private RoomRegistry _registry = null!;
    private NullSinkMember _visitor = null!;

    [Params(1_000, 100_000)]
    public int Members { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _slots = new MemberSet();
        _dictionary = new ConcurrentDictionary<IRoomMember, byte>(ReferenceEqualityComparer.Instance);
        _registry = new RoomRegistry();
        for (int i = 0; i < Members; i++)
        {
            var member = new NullSinkMember(i, 0);
            _slots.Add(member);
            _dictionary.TryAdd(member, 0);
            _registry.Join(member, "room");
        }
        _visitor = new NullSinkMember(-1, 0);
    }

    [Benchmark(Baseline = true)]

    [ZeroAllocation]
    public long WalkSlotArray()
    {
        long sum = 0;
        foreach (var member in _slots.Snapshot) sum += member.ProtocolIndex + 1;
        return sum;
    }

    [Benchmark]
    public long WalkConcurrentDictionaryKeys()
    {
        long sum = 0;
        foreach (var pair in _dictionary) sum += pair.Key.ProtocolIndex + 1;
        return sum;
    }

    [Benchmark]

    [ZeroAllocation]
    public int JoinLeaveSlotArray()
    {
        lock (_slots.Sync)
        {
            int slot = _slots.Add(_visitor);
            _slots.Remove(_visitor, slot);
        }
        return _slots.Count;
    }

    [Benchmark]
    public int JoinLeaveConcurrentDictionary()
    {
        // (Not .Count: it takes every lock of the dictionary and would dominate.)
        bool added = _dictionary.TryAdd(_visitor, 0);
        return added && _dictionary.TryRemove(_visitor, out _) ? 1 : 0;
    }

    [Benchmark]
    public int JoinLeaveRegistry()
    {
        _registry.Join(_visitor, "room");
        _registry.Leave(_visitor, "room");
        return _registry.MemberCount("room");
    }
}
