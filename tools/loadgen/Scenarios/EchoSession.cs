using System.Buffers;
using FastRealtime.LoadGen.Net;
using FastRealtime.Transport.WebSockets;

namespace FastRealtime.LoadGen.Scenarios;

/// <summary>State the echo sessions of one run share (read-mostly).</summary>
internal sealed class EchoShared : DriveShared
{
    /// <summary>Expected reply length, or -1 when the protocol lets the server reshape replies.</summary>
    public required int ExpectedReplyLength { get; init; }
}

/// <summary>
/// One echo connection: replies are matched FIFO against the ring of send times (<see cref="InOrderSession"/>);
/// unpaced, every reply allows one more message from the pre-masked frames (see <see cref="DrivenSession"/>).
/// </summary>
internal sealed class EchoSession(IClientConnection connection, PremaskedFrames frames, EchoShared shared, int window, long quota)
    : InOrderSession(shared, connection, frames, window, quota)
{
    public override void OnMessage(WebSocketMessageKind kind, in ReadOnlySequence<byte> payload)
    {
        if (!TryTakeOldest(out _, out long sentAt))
        {
            shared.Metrics.Errors.Add("unexpected-reply");
            return;
        }
        shared.Metrics.RecordLatencySince(sentAt);
        shared.Metrics.Received.Increment();
        if (shared.ExpectedReplyLength >= 0 && payload.Length != shared.ExpectedReplyLength) shared.Metrics.Errors.Add("echo-mismatch");
    }
}
