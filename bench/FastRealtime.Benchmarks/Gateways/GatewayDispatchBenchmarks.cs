using System.ComponentModel.DataAnnotations;
using BenchmarkDotNet.Attributes;
using FastRealtime.Chat.Gateways;
using FastRealtime.Chat.Gateways.Protocols;
using FastRealtime.Core.Buffers;
using FastRealtime.Core.Connections;
using FastRealtime.Transport;
using Microsoft.Extensions.DependencyInjection;

namespace FastRealtime.Benchmarks.Gateways;

/// <summary>
/// One received text message through the whole gateway path, socket-free: rate limit, mailbox check, envelope
/// parse, handler lookup, payload deserialization and validation, the compiled call, reply serialization and
/// framing, and the enqueue (into a transport that drops the frame).
/// </summary>
[MemoryDiagnoser]
public class GatewayDispatchBenchmarks
{
    private static readonly byte[] s_noop = """{"event":"noop","data":null}"""u8.ToArray();
    private static readonly byte[] s_number = """{"event":"number","id":7,"data":21}"""u8.ToArray();
    private static readonly byte[] s_typed = """{"event":"chat:send-message","id":8,"data":{"roomId":"general","text":"hello there"}}"""u8.ToArray();
    private static readonly byte[] s_emit = """{"event":"chat:typing","data":{"roomId":"general","text":"x"}}"""u8.ToArray();
    private static readonly byte[] s_emitOnly = """{"event":"chat:ping","data":null}"""u8.ToArray();

    private ServiceProvider _services = null!;
    private GatewayClient _client = null!;

    [GlobalSetup]
    public void Setup()
    {
        _services = new ServiceCollection().AddGateways(o => o.MaxMessagesPerSecond = 0).AddGateway<BenchGateway>().BuildServiceProvider();
        var @namespace = _services.GetRequiredService<GatewayServer>().Of<BenchGateway>();
        var application = new GatewayWebSocketApplication(@namespace);
        _client = NewClient(@namespace, application, 1);
        _client.Join("general");
        for (int i = 2; i <= 100; i++) NewClient(@namespace, application, i).Join("general");
    }

    private static GatewayClient NewClient(GatewayNamespace @namespace, GatewayWebSocketApplication application, long id)
    {
        var client = @namespace.CreateClient(new NullTransport(), id);
        client.AttachInbound(application);
        client.RunInOrder(@namespace.Connect(client, request: null));
        return client;
    }

    [GlobalCleanup]
    public void Cleanup() => _services.Dispose();

    /// <summary>void handler, no payload, no ack: the dispatch floor.</summary>
    [Benchmark(Baseline = true)]
    [ZeroAllocation]
    public void VoidHandler() => _client.Deliver(s_noop, isBinary: false);

    /// <summary>int payload, int result, ack with id.</summary>
    [Benchmark]
    [ZeroAllocation]
    public void IntPayloadWithAck() => _client.Deliver(s_number, isBinary: false);

    /// <summary>Validated DTO (Required, StringLength), object result serialized into the ack.</summary>
    [Benchmark]
    public void ValidatedDtoWithAck() => _client.Deliver(s_typed, isBinary: false);

    /// <summary>DTO in, emit to a room of 100 others (except sender): serialized once, framed once, 99 enqueues.</summary>
    [Benchmark]
    public void HandlerEmitsToRoomOf100() => _client.Deliver(s_emit, isBinary: false);

    /// <summary>
    /// The same emit with nothing to bind and a string to send: what the room emit itself costs. The 128 B of
    /// <see cref="HandlerEmitsToRoomOf100"/> are the DTO and its two strings (96 B) and System.Text.Json boxing the
    /// record struct it sends (32 B).
    /// </summary>
    [Benchmark]
    [ZeroAllocation]
    public void HandlerEmitsStringToRoomOf100() => _client.Deliver(s_emitOnly, isBinary: false);

    private sealed class NullTransport : IGatewayTransport
    {
        public int ProtocolIndex => WireProtocols.WebSocketJson;
        public SendResult Send(SharedBuffer frame, bool isVolatile) => SendResult.Queued; // takes no reference: the sender's release returns it
        public void Close(string reason, bool policyViolation) { }
    }
}

public sealed class ChatSend
{
    [Required, StringLength(50)]
    public string? RoomId { get; init; }

    [Required, StringLength(2000, MinimumLength = 1)]
    public string? Text { get; init; }
}

public readonly record struct SendAck(string Status, int Length);

public readonly record struct Typing(string RoomId, bool IsTyping);

[Gateway(Namespace = "bench")]
public sealed class BenchGateway
{
    [SubscribeMessage("noop")]
    public void Noop() { }

    [SubscribeMessage("number")]
    public int Number(int value) => value * 2;

    [SubscribeMessage("chat:send-message")]
    public SendAck Send(ChatSend payload) => new("delivered", payload.Text!.Length);

    [SubscribeMessage("chat:ping")]
    public void Ping(GatewayClient client) => client.To("general").Emit("chat:typing", "general");

    [SubscribeMessage("chat:typing")]
    public void Typing(ChatSend payload, GatewayClient client) => client.To(payload.RoomId!).Emit("chat:typing", new Typing(payload.RoomId!, true));
}
