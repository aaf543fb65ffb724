using System.Collections.Concurrent;
using System.Net.WebSockets;

namespace KestrelPeer;

/// <summary>One room member; sends to it are serialized because WebSocket allows one SendAsync at a time.</summary>
public sealed class Member(WebSocket socket)
{
    private readonly SemaphoreSlim _sendGate = new(1, 1);

    public async Task SendAsync(ReadOnlyMemory<byte> message, WebSocketMessageType type)
    {
        await _sendGate.WaitAsync();
        try
        {
            await socket.SendAsync(message, type, endOfMessage: true, CancellationToken.None);
        }
        catch (Exception e) when (SocketClose.IsDisconnect(e))
        {
            // The member is going away; its own receive loop removes it from the room.
        }
        finally
        {
            _sendGate.Release();
        }
    }
}

/// <summary>Room name to members. Empty rooms are kept: a benchmark uses a handful of room names.</summary>
public sealed class Rooms
{
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<Member, byte>> _rooms = new();

    public ConcurrentDictionary<Member, byte> Join(string room, Member member)
    {
        var members = _rooms.GetOrAdd(room, static _ => new ConcurrentDictionary<Member, byte>());
        members[member] = 0;
        return members;
    }

    public static void Leave(ConcurrentDictionary<Member, byte> members, Member member) => members.TryRemove(member, out _);
}
