using FastRealtime.Transport.WebSockets;

namespace FastRealtime.Tests.WebSockets.Framing;

/// <summary>Theory data shared by the frame reader tests; every role-neutral rule runs for both roles.</summary>
public abstract class FramingTheories
{
    public static TheoryData<WebSocketRole> Roles => new() { WebSocketRole.Server, WebSocketRole.Client };

    /// <summary>Every value paired with each role.</summary>
    protected static TheoryData<WebSocketRole, T> ForBothRoles<T>(IEnumerable<T> values)
    {
        var data = new TheoryData<WebSocketRole, T>();
        foreach (T value in values)
        {
            data.Add(WebSocketRole.Server, value);
            data.Add(WebSocketRole.Client, value);
        }

        return data;
    }
}
