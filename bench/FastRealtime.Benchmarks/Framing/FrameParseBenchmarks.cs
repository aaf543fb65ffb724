using System.Buffers;
using BenchmarkDotNet.Attributes;
using FastRealtime.Transport.WebSockets;

namespace FastRealtime.Benchmarks.Framing;

/// <summary>
/// Server-role parsing of masked binary frames from one buffer, per frame. 16 B and 1 KiB frames take the
/// in-place path (unmasked where they lie, delivered as a slice); 64 KiB frames exceed the in-place limit and
/// are copied into the pooled reassembly buffer.
/// </summary>
[MemoryDiagnoser]
public class FrameParseBenchmarks
{
    private const int FramesPerInvoke = 64;

    private byte[] _wire = [];
    private WebSocketFrameReader _reader = null!;
    private CountingFrameHandler _handler;

    [Params(16, 1024, 64 * 1024)]
    public int PayloadSize { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        byte[] payload = new byte[PayloadSize];
        new Random(1).NextBytes(payload);
        int frameSize = WebSocketFrameWriter.GetFrameSize(PayloadSize, masked: true);
        _wire = new byte[frameSize * FramesPerInvoke];
        for (int i = 0; i < FramesPerInvoke; i++)
        {
            WebSocketFrameWriter.WriteFrame(_wire.AsSpan(i * frameSize), WebSocketOpcode.Binary, payload, masked: true, maskKey: WebSocketMaskKeys.Next());
        }

        // Unmasking in place flips the buffer between masked and clear on alternate runs; binary payloads do not care.
        _reader = new WebSocketFrameReader(WebSocketRole.Server, new WebSocketLimits());
    }

    [GlobalCleanup]
    public void Cleanup() => _reader.Dispose();

    [Benchmark(OperationsPerInvoke = FramesPerInvoke)]

    [ZeroAllocation]
    public long ParseMaskedBinary()
    {
        var buffer = new ReadOnlySequence<byte>(_wire);
        _reader.Read(ref buffer, ref _handler);
        return _handler.Messages;
    }
}
