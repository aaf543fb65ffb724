using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using FastRealtime.Core.Buffers;

namespace FastRealtime.Core.Rooms;

/// <summary>
/// Builds the complete, framed bytes of one message for one wire protocol. Implement it on a struct (or a ref
/// struct holding the payload span) so a broadcast allocates no closure.
/// </summary>
public interface IBroadcastEncoder
{
    /// <summary>
    /// Returns a buffer holding the whole frame for members whose <see cref="IRoomMember.ProtocolIndex"/> is
    /// <paramref name="protocolIndex"/>, with one reference that the <see cref="BroadcastMessage{TEncoder}"/> takes over.
    /// Called at most once per protocol per message, and only when a member of that protocol is reached.
    /// </summary>
    SharedBuffer Encode(int protocolIndex);
}

/// <summary>Constants and a factory for <see cref="BroadcastMessage{TEncoder}"/>.</summary>
public static class BroadcastMessage
{
    /// <summary>Protocol indexes run from 0 to MaxProtocols - 1.</summary>
    public const int MaxProtocols = 8;

    public static BroadcastMessage<TEncoder> Create<TEncoder>(TEncoder encoder, bool isVolatile = false)
        where TEncoder : IBroadcastEncoder, allows ref struct
        => new(encoder, isVolatile);
}

/// <summary>
/// One message on its way to many members: a pre-framed shared buffer per wire protocol, encoded lazily the first
/// time a member of that protocol is reached, so a broadcast encodes once per protocol present and never per recipient.
/// </summary>
/// <remarks>
/// Not thread-safe: one walk (or several walks in sequence, e.g. local rooms then a scale-out publish) on one thread.
/// The message owns one reference per encoded frame; every member that queues a frame takes its own.
/// <see cref="Dispose"/> releases the message's references, so the last member to send returns the bytes to the pool.
/// </remarks>
public ref struct BroadcastMessage<TEncoder> where TEncoder : IBroadcastEncoder, allows ref struct
{
    private TEncoder _encoder;
    private ProtocolFrames _frames;

    public BroadcastMessage(TEncoder encoder, bool isVolatile = false)
    {
        _encoder = encoder;
        IsVolatile = isVolatile;
    }

    /// <summary>May be dropped by members that are behind (typing indicators and the like).</summary>
    public bool IsVolatile { get; }

    /// <summary>How many protocols were encoded so far.</summary>
    public readonly int EncodedCount
    {
        get
        {
            int count = 0;
            foreach (var frame in _frames)
                if (frame is not null) count++;
            return count;
        }
    }

    public readonly bool IsEncoded(int protocolIndex) => ((ReadOnlySpan<SharedBuffer?>)_frames)[protocolIndex] is not null;

    /// <summary>The frame for <paramref name="protocolIndex"/>, encoding it on first use. The message keeps the reference.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public SharedBuffer FrameFor(int protocolIndex)
    {
        if ((uint)protocolIndex >= BroadcastMessage.MaxProtocols) ThrowProtocolOutOfRange(protocolIndex);
        return _frames[protocolIndex] ?? Encode(protocolIndex);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private SharedBuffer Encode(int protocolIndex)
    {
        var frame = _encoder.Encode(protocolIndex) ?? ThrowNullFrame(protocolIndex);
        _frames[protocolIndex] = frame;
        return frame;
    }

    /// <summary>Releases the message's reference to every encoded frame. Idempotent.</summary>
    public void Dispose()
    {
        for (int i = 0; i < BroadcastMessage.MaxProtocols; i++)
        {
            var frame = _frames[i];
            if (frame is null) continue;
            _frames[i] = null;
            frame.Release();
        }
    }

    [DoesNotReturn]
    private static void ThrowProtocolOutOfRange(int protocolIndex) =>
        throw new ArgumentOutOfRangeException(nameof(protocolIndex), protocolIndex,
            $"A member's ProtocolIndex must be in [0, {BroadcastMessage.MaxProtocols}).");

    [DoesNotReturn]
    private static SharedBuffer ThrowNullFrame(int protocolIndex) =>
        throw new InvalidOperationException($"The broadcast encoder returned no frame for protocol {protocolIndex}.");
}

[InlineArray(BroadcastMessage.MaxProtocols)]
internal struct ProtocolFrames
{
    private SharedBuffer? _first;
}
