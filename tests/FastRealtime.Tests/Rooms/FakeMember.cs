using System.Reflection;
using System.Text;
using FastRealtime.Core.Buffers;
using FastRealtime.Core.Connections;
using FastRealtime.Core.Rooms;

namespace FastRealtime.Tests.Rooms;

/// <summary>An in-memory member that records every frame it queued (holding a reference, like a real queue).</summary>
internal sealed class FakeMember(long id, int protocolIndex = 0) : IRoomMember
{
    private readonly List<(SharedBuffer Frame, bool IsVolatile)> _frames = [];

    public long MemberId => id;
    public int ProtocolIndex => protocolIndex;
    public RoomMembership Rooms { get; } = new();

    /// <summary>What Send answers; anything but Queued takes no reference, as a full or closed connection does.</summary>
    public SendResult Answer { get; set; } = SendResult.Queued;

    /// <summary>Runs inside Send (re-entrancy tests).</summary>
    public Action<FakeMember>? OnSend { get; set; }

    public SendResult Send(SharedBuffer frame, bool isVolatile)
    {
        OnSend?.Invoke(this);
        if (Answer != SendResult.Queued) return Answer;
        frame.AddReference();
        lock (_frames) _frames.Add((frame, isVolatile));
        return SendResult.Queued;
    }

    public int FrameCount
    {
        get { lock (_frames) return _frames.Count; }
    }

    public SharedBuffer[] Frames()
    {
        lock (_frames) return _frames.Select(f => f.Frame).ToArray();
    }

    public string[] Texts()
    {
        lock (_frames) return _frames.Select(f => Encoding.UTF8.GetString(f.Frame.Span)).ToArray();
    }

    public bool[] VolatileFlags()
    {
        lock (_frames) return _frames.Select(f => f.IsVolatile).ToArray();
    }

    /// <summary>What the connection's writer does after sending: drop the queue's references.</summary>
    public void ReleaseFrames()
    {
        lock (_frames)
        {
            foreach (var (frame, _) in _frames) frame.Release();
            _frames.Clear();
        }
    }

    public override string ToString() => $"member {id}";

    public static FakeMember[] Many(int count, int firstId = 1, int protocolIndex = 0) =>
        Enumerable.Range(firstId, count).Select(i => new FakeMember(i, protocolIndex)).ToArray();
}

/// <summary>Encodes "protocol|text" and records how often each protocol was encoded and which buffers it made.</summary>
internal sealed class EncodeLog
{
    public readonly int[] Calls = new int[BroadcastMessage.MaxProtocols];
    public readonly List<SharedBuffer> Made = [];
    public int Total => Calls.Sum();
}

internal readonly struct TextEncoder(string text, EncodeLog log) : IBroadcastEncoder
{
    public SharedBuffer Encode(int protocolIndex)
    {
        log.Calls[protocolIndex]++;
        var frame = SharedBuffer.CopyOf(Encoding.UTF8.GetBytes($"{protocolIndex}|{text}"));
        log.Made.Add(frame);
        return frame;
    }
}

internal static class RoomRegistryTestExtensions
{
    /// <summary>Creates <paramref name="count"/> members with ids from <paramref name="firstId"/> and joins them to the room.</summary>
    public static FakeMember[] JoinNew(this RoomRegistry registry, string room, int count, int firstId, int protocolIndex = 0)
    {
        var members = FakeMember.Many(count, firstId, protocolIndex);
        foreach (var member in members) registry.Join(member, room);
        return members;
    }
}

internal static class SharedBufferProbe
{
    private static readonly FieldInfo s_references =
        typeof(SharedBuffer).GetField("_references", BindingFlags.NonPublic | BindingFlags.Instance)
        ?? throw new InvalidOperationException("SharedBuffer._references was renamed; update the probe.");

    /// <summary>The live reference count (read by reflection so Core needs no test-only member).</summary>
    public static int References(SharedBuffer buffer) => (int)s_references.GetValue(buffer)!;
}
