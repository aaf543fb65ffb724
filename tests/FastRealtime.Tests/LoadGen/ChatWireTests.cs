using System.Buffers;
using System.Text;
using FastRealtime.Chat.Auth;
using FastRealtime.Chat.ChatApp;
using FastRealtime.LoadGen.Chat;
using FastRealtime.LoadGen.Cli;
using FastRealtime.LoadGen.Net;
using FastRealtime.LoadGen.Options;
using FastRealtime.Transport.WebSockets;

namespace FastRealtime.Tests.LoadGen;

/// <summary>The chat scenario's wire: the requests it sends, how it reads the server's answers, and its tokens.</summary>
public sealed class ChatWireTests
{
    private const string Stamp = "0000000000abcdef00000007"; // timestamp 0xabcdef, publisher 7

    private static ChatInbound Classify(ChatWire wire, string text) => wire.Classify(new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes(text)));

    [Fact]
    public void JsonWire_Requests_AreTheEnvelopeWithAckIdAndFixedWidthFields()
    {
        ChatWire wire = ChatWire.Json;

        Assert.Equal("""{"event":"chat:join-room","id":1,"data":{"roomId":"room-2"}}""", Encoding.UTF8.GetString(wire.JoinPayload("room-2")));
        byte[] send = wire.SendPayload("room-2", 30, out int idOffset, out int stampOffset);
        Assert.Equal("""{"event":"chat:send-message","id":1000000000,"data":{"roomId":"room-2","text":"000000000000000000000000xxxxxx"}}""", Encoding.UTF8.GetString(send));
        Assert.Equal("1000000000", Encoding.UTF8.GetString(send, idOffset, ChatWire.SendIdDigits));
        Assert.Equal(new string('0', 24), Encoding.UTF8.GetString(send, stampOffset, 24));
    }

    [Fact]
    public void SocketIoWire_Requests_AreEventsWithAckIdInTheNamespace()
    {
        ChatWire wire = ChatWire.SocketIo("/chat");

        Assert.Equal("""42/chat,1["chat:join-room",{"roomId":"room-0"}]""", Encoding.UTF8.GetString(wire.JoinPayload("room-0")));
        byte[] send = wire.SendPayload("room-0", 0, out int idOffset, out int stampOffset); // shorter than the stamp: the stamp alone
        Assert.Equal("""42/chat,1000000000["chat:send-message",{"roomId":"room-0","text":"000000000000000000000000"}]""", Encoding.UTF8.GetString(send));
        Assert.Equal(8, idOffset);
        Assert.Equal(send.Length - 27, stampOffset);
    }

    [Fact]
    public void JsonWire_Classify_AckMessageExceptionAndOthers()
    {
        ChatWire wire = ChatWire.Json;

        var ack = Classify(wire, """{"event":"chat:send-message","id":1000000003,"data":{"id":"42","status":"delivered","sentAt":"2026-11-22T04:00:00.000Z"}}""");
        Assert.Equal((ChatInboundKind.Ack, 1000000003L, true), (ack.Kind, ack.AckId, ack.Delivered));

        // The message's own "id" is a string inside data, not the envelope's ack id; a 32-hex id must not pass for the stamp.
        var message = Classify(wire, $$$"""{"event":"chat:message","data":{"id":"0123456789abcdef0123456789abcdef","userId":"loadgen-7","userName":"Load 7","roomId":"room-1","text":"{{{Stamp}}}xx","sentAt":"2026-11-22T04:00:00.000Z"}}""");
        Assert.Equal((ChatInboundKind.Message, -1L, true, 0xabcdefL, 7), (message.Kind, message.AckId, message.HasStamp, message.Stamp, message.PublisherId));

        var exception = Classify(wire, """{"event":"exception","data":{"status":"error","message":"Too many messages","cause":{"pattern":"chat:send-message","data":{}},"timestamp":"x"}}""");
        Assert.Equal(ChatInboundKind.Exception, exception.Kind);

        Assert.Equal(ChatInboundKind.Other, Classify(wire, """{"event":"chat:user-joined","data":{"userId":"u","userName":"U","roomId":"room-1","joinedAt":"x"}}""").Kind);
        Assert.Equal(ChatInboundKind.Other, Classify(wire, """{"event":"chat:message","da""").Kind); // truncated: malformed
    }

    [Fact]
    public void SocketIoWire_Classify_AckMessageExceptionAndEngineIoPackets()
    {
        ChatWire wire = ChatWire.SocketIo("/chat");

        var ack = Classify(wire, """43/chat,1000000000[{"id":"1","status":"delivered","sentAt":"x"}]""");
        Assert.Equal((ChatInboundKind.Ack, 1000000000L, true), (ack.Kind, ack.AckId, ack.Delivered));
        var join = Classify(wire, """43/chat,1[{"roomId":"room-0","users":[],"recentMessages":[]}]""");
        Assert.Equal((ChatInboundKind.Ack, ChatWire.JoinAckId), (join.Kind, join.AckId));

        var message = Classify(wire, $$$"""42/chat,["chat:message",{"id":"9","userId":"loadgen-7","userName":"Load 7","roomId":"room-1","text":"{{{Stamp}}}","sentAt":"x"}]""");
        Assert.Equal((ChatInboundKind.Message, true, 0xabcdefL, 7), (message.Kind, message.HasStamp, message.Stamp, message.PublisherId));

        Assert.Equal(ChatInboundKind.Exception, Classify(wire, """42/chat,["exception",{"status":"error","message":"nope"}]""").Kind);
        Assert.Equal(ChatInboundKind.Other, Classify(wire, """42/chat,["chat:typing",{"roomId":"room-0","isTyping":true}]""").Kind);
        Assert.Equal(ChatInboundKind.Other, Classify(wire, "2").Kind);
    }

    [Fact]
    public void Classify_SteadyState_AllocatesNothing()
    {
        ChatWire wire = ChatWire.SocketIo("/chat");
        var message = new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes($$$"""42/chat,["chat:message",{"id":"9","userId":"u","userName":"U","roomId":"room-1","text":"{{{Stamp}}}","sentAt":"x"}]"""));
        var ack = new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes("""{"event":"chat:send-message","id":1000000003,"data":{"id":"42","status":"delivered"}}"""));
        for (int i = 0; i < 100; i++)
        {
            wire.Classify(message);
            ChatWire.Json.Classify(ack);
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++)
        {
            wire.Classify(message);
            ChatWire.Json.Classify(ack);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void PremaskedFrames_Patch_ChangesOnlyTheNamedBytesOfTheUnmaskedPayload()
    {
        byte[] payload = ChatWire.Json.SendPayload("room-0", 40, out int idOffset, out int stampOffset);
        var frames = new PremaskedFrames(payload, WebSocketOpcode.Text, capacity: 2);

        frames.Patch(1, idOffset, "1000000042"u8.ToArray());
        frames.Patch(1, stampOffset, Encoding.ASCII.GetBytes(Stamp));

        string Unmasked(int index)
        {
            byte[] frame = frames.Frames(2).Slice(index * frames.FrameLength, frames.FrameLength).ToArray();
            int header = frames.FrameLength - payload.Length;
            // RFC 6455 §5.3: payload byte i XOR masking-key byte (i mod 4); the key is the header's last four bytes.
            for (int i = 0; i < payload.Length; i++) frame[header + i] ^= frame[header - 4 + (i % 4)];
            return Encoding.UTF8.GetString(frame, header, payload.Length);
        }
        Assert.Equal(Encoding.UTF8.GetString(payload), Unmasked(0));
        Assert.Equal(Encoding.UTF8.GetString(payload).Replace("1000000000", "1000000042").Replace(new string('0', 24), Stamp), Unmasked(1));
    }

    [Fact]
    public void Mint_TheServersTokenServiceAcceptsIt_WithSubAndNameAndRefusesOtherSecrets()
    {
        const string secret = "a-secret-of-at-least-thirty-two-bytes!";
        string token = ChatTokens.Mint(secret, 5, TimeSpan.FromMinutes(5));

        JwtValidationResult result = JwtTokenService.FromSettings(new ChatSettings { JwtSecret = secret }).Validate(token);
        JwtValidationResult forged = JwtTokenService.FromSettings(new ChatSettings { JwtSecret = secret + "x" }).Validate(token);

        Assert.True(result.Succeeded, result.Error);
        Assert.Equal(("loadgen-5", "Load 5"), (result.UserId, result.UserName));
        Assert.False(forged.Succeeded);
    }

    [Fact]
    public void Parse_ChatCommand_BindsSecretAndChecksProtocolAndSecret()
    {
        var (request, errors) = LoadGenCli.Parse(["chat", "--url", "ws://127.0.0.1:3000/chat", "--protocol", "json", "--secret", "s3cret", "-c", "10", "--rooms", "3", "--rate", "50", "-d", "2s"]);
        Assert.Empty(errors);
        Assert.Equal(("chat", "s3cret", 3, LoadProtocolKind.Json), (request!.Scenario, request.Options.Secret, request.Options.Rooms, request.Options.Protocol));

        Assert.Contains(LoadGenCli.Parse(["chat", "--url", "ws://127.0.0.1:3000/chat", "--protocol", "json", "-d", "2s"]).Errors, e => e.Contains("--secret"));
        Assert.Contains(LoadGenCli.Parse(["chat", "--url", "ws://127.0.0.1:3000/chat", "--secret", "s", "-d", "2s"]).Errors, e => e.Contains("json"));
        Assert.Contains(LoadGenCli.Parse(["chat", "--url", "ws://127.0.0.1:3000/chat", "--protocol", "json", "--secret", "s", "--size", "2001", "-d", "2s"]).Errors, e => e.Contains("2000"));
    }
}
