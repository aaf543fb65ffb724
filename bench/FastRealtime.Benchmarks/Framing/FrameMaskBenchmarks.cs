using BenchmarkDotNet.Attributes;
using FastRealtime.Transport.WebSockets;

namespace FastRealtime.Benchmarks.Framing;

/// <summary>Unmasking a payload: the vectorized <see cref="WebSocketMask.Apply"/> against the byte-at-a-time baseline.</summary>
[MemoryDiagnoser]
public class FrameMaskBenchmarks
{
    private byte[] _data = [];

    [Params(16, 1024, 64 * 1024)]
    public int PayloadSize { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _data = new byte[PayloadSize];
        new Random(1).NextBytes(_data);
    }

    [Benchmark(Baseline = true)]

    [ZeroAllocation]
    public int Scalar() => WebSocketMask.ApplyScalar(_data, 0xA1B2C3D4, 1);

    [Benchmark]

    [ZeroAllocation]
    public int Vectorized() => WebSocketMask.Apply(_data, 0xA1B2C3D4, 1);
}
