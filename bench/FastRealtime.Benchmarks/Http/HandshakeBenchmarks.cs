using System.Buffers;
using System.Text;
using BenchmarkDotNet.Attributes;
using FastRealtime.Transport.Http;
using FastRealtime.Transport.WebSockets;

namespace FastRealtime.Benchmarks.Http;

/// <summary>Cost of one WebSocket upgrade without a socket: parse the head, validate, write the 101.
/// Not a per-message path; tracked so connection-storm throughput does not regress.</summary>
[MemoryDiagnoser]
public class HandshakeBenchmarks
{
    private static readonly byte[] UpgradeRequest = Encoding.ASCII.GetBytes(
        "GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: 127.0.0.1:9000\r\nConnection: Upgrade\r\n" +
        "Upgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n" +
        "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\nUser-Agent: loadgen\r\n\r\n");

    private static readonly byte[] Key = Encoding.ASCII.GetBytes("dGhlIHNhbXBsZSBub25jZQ==");
    private readonly HttpLimits _limits = new();
    private readonly WebSocketHandshakeOptions _options = new();
    private readonly ArrayBufferWriter<byte> _output = new(512);
    private readonly byte[] _accept = new byte[28];

    [Benchmark(Baseline = true)]
    public int ComputeAcceptKey() => WebSocketHandshake.ComputeAcceptKey(Key, _accept);

    [Benchmark]
    public int ParseRequestHead()
    {
        var buffer = new ReadOnlySequence<byte>(UpgradeRequest);
        HttpRequestHeadParser.TryParse(ref buffer, _limits, out HttpRequestHead? head, out _, out _);
        return head!.Headers.Count;
    }

    [Benchmark]
    public int ParseValidateAndAnswer()
    {
        var buffer = new ReadOnlySequence<byte>(UpgradeRequest);
        HttpRequestHeadParser.TryParse(ref buffer, _limits, out HttpRequestHead? head, out _, out _);
        WebSocketHandshakeResult result = WebSocketHandshake.Validate(head!, _options);
        _output.ResetWrittenCount();
        WebSocketHandshake.WriteUpgradeResponse(_output, result);
        return _output.WrittenCount;
    }
}
