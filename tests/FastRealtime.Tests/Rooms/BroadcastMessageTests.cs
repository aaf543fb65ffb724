using FastRealtime.Core.Buffers;
using FastRealtime.Core.Rooms;

namespace FastRealtime.Tests.Rooms;

/// <summary>Encode once per protocol present, lazily; the frames' references always balance.</summary>
public class BroadcastMessageTests
{
    private readonly RoomRegistry _registry = new();
    private readonly EncodeLog _log = new();

    [Fact]
    public void Broadcast_MixedProtocols_EncodesOncePerProtocolPresent()
    {
        var plain = _registry.JoinNew("a", 50, 1, protocolIndex: 0);
        var socketIo = _registry.JoinNew("a", 50, 100, protocolIndex: 1);

        _registry.Broadcast(BroadcastTarget.ToRoom("a"), new TextEncoder("hi", _log));

        Assert.Equal([1, 1, 0, 0, 0, 0, 0, 0], _log.Calls);
        foreach (var member in plain) Assert.Equal(["0|hi"], member.Texts());
        foreach (var member in socketIo) Assert.Equal(["1|hi"], member.Texts());
    }

    [Fact]
    public void Broadcast_SingleProtocol_NeverEncodesAbsentProtocols()
    {
        _registry.JoinNew("a", 20, 1, protocolIndex: 3);

        _registry.Broadcast(BroadcastTarget.ToRoom("a"), new TextEncoder("hi", _log));

        Assert.Equal([0, 0, 0, 1, 0, 0, 0, 0], _log.Calls);
    }

    [Fact]
    public void Broadcast_EveryRecipientOfOneProtocol_SharesTheSameBuffer()
    {
        var members = _registry.JoinNew("a", 10, 1, protocolIndex: 1);

        _registry.Broadcast(BroadcastTarget.ToRoom("a"), new TextEncoder("hi", _log));

        var shared = Assert.Single(_log.Made);
        foreach (var member in members) Assert.Same(shared, Assert.Single(member.Frames()));
        foreach (var member in members) member.ReleaseFrames();
    }

    [Fact]
    public void Message_ReusedAcrossWalks_EncodesOnceAndKeepsFramesUntilDisposed()
    {
        var first = _registry.JoinNew("a", 3, 1, protocolIndex: 0);
        var second = _registry.JoinNew("b", 3, 10, protocolIndex: 0);
        var message = BroadcastMessage.Create(new TextEncoder("hi", _log));
        try
        {
            _registry.Broadcast(BroadcastTarget.ToRoom("a"), ref message);
            _registry.Broadcast(BroadcastTarget.ToRoom("b"), ref message);

            Assert.Equal(1, _log.Total);
            Assert.Equal(1, message.EncodedCount);
            Assert.True(message.IsEncoded(0));
            Assert.False(message.IsEncoded(1));
            Assert.Equal(1 + 6, SharedBufferProbe.References(_log.Made[0]));
        }
        finally
        {
            message.Dispose();
        }
        Assert.Equal(6, SharedBufferProbe.References(_log.Made[0]));
        foreach (var member in first.Concat(second)) member.ReleaseFrames();
    }

    [Fact]
    public void Broadcast_AfterWalk_EachFrameHeldOnlyByMembersThatQueuedIt()
    {
        var plain = _registry.JoinNew("a", 7, 1, protocolIndex: 0);
        var socketIo = _registry.JoinNew("a", 4, 100, protocolIndex: 1);
        socketIo[0].Answer = Core.Connections.SendResult.Dropped;

        _registry.Broadcast(BroadcastTarget.ToRoom("a"), new TextEncoder("hi", _log));

        // The message's own reference is gone; each queued member holds exactly one.
        Assert.Equal(7, SharedBufferProbe.References(_log.Made[0]));
        Assert.Equal(3, SharedBufferProbe.References(_log.Made[1]));
        foreach (var member in plain[1..].Concat(socketIo[2..])) member.ReleaseFrames();
        Assert.Equal(1, SharedBufferProbe.References(_log.Made[0]));
        Assert.Equal(1, SharedBufferProbe.References(_log.Made[1]));
        plain[0].ReleaseFrames();
        socketIo[1].ReleaseFrames();
    }

    [Fact]
    public void Broadcast_EncoderThrowsForSecondProtocol_ReleasesFirstFrameAndPropagates()
    {
        var plain = _registry.JoinNew("a", 2, 1, protocolIndex: 0);
        _registry.JoinNew("a", 2, 100, protocolIndex: 1);
        var log = new EncodeLog();

        Assert.Throws<InvalidOperationException>(() =>
            _registry.Broadcast(BroadcastTarget.ToRoom("a"), new FailingEncoder(failOn: 1, log)));

        Assert.Equal(2, SharedBufferProbe.References(log.Made[0]));
        foreach (var member in plain) member.ReleaseFrames();
    }

    [Fact]
    public void Broadcast_MemberWithProtocolOutOfRange_Throws()
    {
        _registry.Join(new FakeMember(1, protocolIndex: BroadcastMessage.MaxProtocols), "a");

        Assert.Throws<ArgumentOutOfRangeException>(() => _registry.Broadcast(BroadcastTarget.ToRoom("a"), new TextEncoder("hi", _log)));
    }

    [Fact]
    public void Broadcast_EncoderReturnsNull_Throws()
    {
        _registry.JoinNew("a", 1, 1, protocolIndex: 0);

        Assert.Throws<InvalidOperationException>(() => _registry.Broadcast(BroadcastTarget.ToRoom("a"), new NullEncoder()));
    }

    [Fact]
    public void Dispose_Twice_ReleasesOnce()
    {
        var member = _registry.JoinNew("a", 1, 1, protocolIndex: 0)[0];
        var message = BroadcastMessage.Create(new TextEncoder("hi", _log));
        _registry.Broadcast(BroadcastTarget.ToRoom("a"), ref message);

        message.Dispose();
        message.Dispose();

        Assert.Equal(1, SharedBufferProbe.References(_log.Made[0]));
        member.ReleaseFrames();
    }

    [Fact]
    public void Broadcast_RefStructEncoderOverStackPayload_Works()
    {
        var member = _registry.JoinNew("a", 1, 1, protocolIndex: 0)[0];
        Span<byte> payload = stackalloc byte[] { 0x81, 0x02, (byte)'o', (byte)'k' }; // FIN+text, length 2, "ok"

        _registry.Broadcast(BroadcastTarget.ToRoom("a"), new SpanEncoder(payload));

        Assert.Equal(new byte[] { 0x81, 0x02, (byte)'o', (byte)'k' }, member.Frames()[0].Span.ToArray());
        member.ReleaseFrames();
    }

    private readonly struct FailingEncoder(int failOn, EncodeLog log) : IBroadcastEncoder
    {
        public SharedBuffer Encode(int protocolIndex)
        {
            if (protocolIndex == failOn) throw new InvalidOperationException("encoder failed");
            var frame = SharedBuffer.CopyOf([1, 2, 3]);
            log.Made.Add(frame);
            return frame;
        }
    }

    private readonly struct NullEncoder : IBroadcastEncoder
    {
        public SharedBuffer Encode(int protocolIndex) => null!;
    }

    private readonly ref struct SpanEncoder(ReadOnlySpan<byte> frame) : IBroadcastEncoder
    {
        private readonly ReadOnlySpan<byte> _frame = frame;

        public SharedBuffer Encode(int protocolIndex) => SharedBuffer.CopyOf(_frame);
    }
}
