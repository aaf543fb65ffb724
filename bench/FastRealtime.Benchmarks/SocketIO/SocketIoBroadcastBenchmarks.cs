using System.Text;
using BenchmarkDotNet.Attributes;
using FastRealtime.Benchmarks.Rooms;
using FastRealtime.Core.Connections;
using FastRealtime.Core.Rooms;
using FastRealtime.Transport;
using FastRealtime.Transport.EngineIO;
using FastRealtime.Transport.SocketIO;

namespace FastRealtime.Benchmarks.SocketIO;

/// <summary>
/// An EVENT broadcast to a room of Socket.IO members (90% WebSocket, 10% long-polling): encoded once per wire form and
/// shared (the product path), against encoding and framing it once per recipient (baseline).
/// </summary>
[MemoryDiagnoser]
public class SocketIoBroadcastBenchmarks
{
    private readonly byte[] _name = SocketIoPacketWriter.EncodeEventName("chat:message");
    private readonly byte[] _arguments = Encoding.UTF8.GetBytes(
        "{\"id\":\"8f1c\",\"userId\":\"u1\",\"userName\":\"Paco\",\"roomId\":\"general\",\"text\":\"Hola a todos!\",\"sentAt\":\"2026-01-01T00:00:00.000Z\"}");
    private RoomRegistry _registry = null!;
    private IRoomMember[] _members = [];

    [Params(1_000)]
    public int Members { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _registry = new RoomRegistry();
        _members = new IRoomMember[Members];
        for (int i = 0; i < Members; i++)
        {
            _members[i] = new NullSinkMember(i, i % 10 == 0 ? WireProtocols.SocketIoPolling : WireProtocols.SocketIoWebSocket);
            _registry.Join(_members[i], "general");
        }
    }

    [Benchmark(Baseline = true)]
    public int EncodePerRecipient()
    {
        int sent = 0;
        foreach (var member in _members)
        {
            var frame = new SocketIoBroadcastEncoder("/chat"u8, _name, _arguments).Encode(member.ProtocolIndex);
            if (member.Send(frame, false) == SendResult.Queued) sent++;
            frame.Release();
        }
        return sent;
    }

    [Benchmark]

    [ZeroAllocation]
    public int EncodeOncePerForm() =>
        _registry.Broadcast(BroadcastTarget.ToRoom("general"), new SocketIoBroadcastEncoder("/chat"u8, _name, _arguments)).Queued;
}
