using System.Text;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using FastRealtime.Transport.EngineIO;
using FastRealtime.Transport.SocketIO;

namespace FastRealtime.Benchmarks.SocketIO;

/// <summary>
/// One chat EVENT decoded (header, validation, arguments as raw slices) and encoded (straight into its WebSocket
/// frame). Baseline: decoding the payload into a JsonDocument, what a DOM-based codec would do.
/// </summary>
[MemoryDiagnoser]
public class SocketIoPacketBenchmarks
{
    private readonly byte[] _packet = Encoding.UTF8.GetBytes(
        "2/chat,17[\"chat:send-message\",{\"roomId\":\"general\",\"text\":\"Hola a todos! This is a typical chat line.\"}]");
    private readonly byte[] _name = SocketIoPacketWriter.EncodeEventName("chat:message");
    private readonly byte[] _arguments = Encoding.UTF8.GetBytes(
        "{\"id\":\"8f1c\",\"userId\":\"u1\",\"userName\":\"Paco\",\"roomId\":\"general\",\"text\":\"Hola a todos!\",\"sentAt\":\"2026-01-01T00:00:00.000Z\"}");

    [Benchmark(Baseline = true)]
    public int DecodeWithJsonDocument()
    {
        SocketIoPacketParser.Parse(_packet, out var packet);
        using var document = JsonDocument.Parse(packet.Data.ToArray());
        return document.RootElement[1].GetProperty("text").GetString()!.Length;
    }

    [Benchmark]

    [ZeroAllocation]
    public int Decode()
    {
        SocketIoPacketParser.Parse(_packet, out var packet);
        int length = 0;
        foreach (var argument in packet.Arguments) length += argument.Length;
        return length;
    }

    [Benchmark]

    [ZeroAllocation]
    public int EncodeWebSocketFrame()
    {
        int length = SocketIoPacketWriter.EventLength("/chat"u8, _name, _arguments);
        var frame = EngineIoMessageBuffers.RentWebSocket(length, [], out var text);
        SocketIoPacketWriter.WriteEvent(text, "/chat"u8, _name, _arguments);
        int size = frame.Length;
        frame.Release();
        return size;
    }
}
