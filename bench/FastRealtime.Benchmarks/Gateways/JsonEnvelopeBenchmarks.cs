using BenchmarkDotNet.Attributes;
using FastRealtime.Transport.Json;

namespace FastRealtime.Benchmarks.Gateways;

/// <summary>The plain-WebSocket JSON envelope: parse a request, frame an event.</summary>
[MemoryDiagnoser]
public class JsonEnvelopeBenchmarks
{
    private static readonly byte[] s_request = """{"event":"chat:send-message","id":42,"data":{"roomId":"general","text":"hello there, this is a chat message of ordinary length"}}"""u8.ToArray();
    private static readonly byte[] s_data = """{"id":"m1","userId":"u1","userName":"Ana","roomId":"general","text":"hello there","sentAt":"2025-01-01T00:00:00.000Z"}"""u8.ToArray();

    [Benchmark]

    [ZeroAllocation]
    public int Parse()
    {
        Span<byte> scratch = stackalloc byte[JsonEnvelopeReader.MaxEventNameBytes];
        JsonEnvelopeReader.TryRead(s_request, scratch, out var envelope);
        return envelope.Data.Length;
    }

    [Benchmark]

    [ZeroAllocation]
    public int FrameEvent()
    {
        var frame = JsonEnvelopeWriter.Frame("chat:message", default, s_data);
        int length = frame.Length;
        frame.Release();
        return length;
    }

    [Benchmark]

    [ZeroAllocation]
    public int FrameAck()
    {
        var frame = JsonEnvelopeWriter.Frame("chat:send-message", "42"u8, s_data);
        int length = frame.Length;
        frame.Release();
        return length;
    }
}
