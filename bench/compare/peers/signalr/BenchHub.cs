using Microsoft.AspNetCore.SignalR;

namespace SignalRPeer;

/// <summary>
/// Echo to the caller, join a group, broadcast to a group (sender included when it joined).
/// A connection opened with <c>?room=NAME</c> joins that group at once, so a load generator can skip Join.
/// </summary>
public sealed class BenchHub : Hub
{
    public override async Task OnConnectedAsync()
    {
        var room = Context.GetHttpContext()?.Request.Query["room"].FirstOrDefault();
        if (!string.IsNullOrEmpty(room)) await Groups.AddToGroupAsync(Context.ConnectionId, room);
        await base.OnConnectedAsync();
    }

    public Task Echo(string message) => Clients.Caller.SendAsync("echo", message);

    public Task Join(string room) => Groups.AddToGroupAsync(Context.ConnectionId, room);

    public Task Broadcast(string room, string message) => Clients.Group(room).SendAsync("broadcast", message);
}
