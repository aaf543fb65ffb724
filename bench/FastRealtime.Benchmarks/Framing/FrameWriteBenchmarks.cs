using BenchmarkDotNet.Attributes;
using FastRealtime.Transport.WebSockets;

namespace FastRealtime.Benchmarks.Framing;

/// <summary>Header + payload copy into a preallocated destination: unmasked (server) and masked (client), plus the cost of a client mask key.</summary>
[MemoryDiagnoser]
public class FrameWriteBenchmarks
{
    private byte[] _payload = [];
    private byte[] _destination = [];

    [Params(16, 1024, 64 * 1024)]
    public int PayloadSize { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _payload = new byte[PayloadSize];
        new Random(1).NextBytes(_payload);
        _destination = new byte[WebSocketFrameWriter.GetFrameSize(PayloadSize, masked: true)];
    }

    [Benchmark(Baseline = true)]

    [ZeroAllocation]
    public int WriteServerFrame() => WebSocketFrameWriter.WriteFrame(_destination, WebSocketOpcode.Binary, _payload);

    // A fixed key: drawing a fresh one is measured on its own below.
    [Benchmark]
    [ZeroAllocation]
    public int WriteClientFrame() =>
        WebSocketFrameWriter.WriteFrame(_destination, WebSocketOpcode.Binary, _payload, masked: true, maskKey: 0xA1B2C3D4);

    [Benchmark]

    [ZeroAllocation]
    public uint NextMaskKey() => WebSocketMaskKeys.Next();
}
