using FastRealtime.Transport.WebSockets;

namespace FastRealtime.Tests.WebSockets.Framing;

/// <summary>Theory data shared by the frame reader tests; every role-neutral rule runs for both roles.</summary>
public abstract class FramingTheories
{
    public static TheoryData<WebSocketRole> Roles => new() { WebSocketRole.Server, WebSocketRole.Client };
}
