using FastRealtime.Transport.Server;
using FastRealtime.Transport.WebSockets;

namespace FastRealtime.Transport.EngineIO;

public sealed partial class EngineIoSession
{
    // Guarded by _sync. The upgrade (engine.io-protocol v4, "Upgrade"): the client opens a WebSocket with this sid
    // (the probe), sends "2probe", gets "3probe", ends its polling once the pending poll returns (we answer it with a
    // noop), then sends "5"; from then on the WebSocket is the transport.
    private WebSocketSession? _probe;
    private bool _upgrading;

    /// <summary>A WebSocket opened with this sid: it becomes the probe of an upgrade. False if one is not possible now.</summary>
    internal bool TryAttachProbe(WebSocketSession webSocket)
    {
        lock (_sync)
        {
            if (IsClosed || _webSocket is not null || _probe is not null) return false;
            _probe = webSocket;
        }
        ArmUpgradeDeadline();
        return true;
    }

    /// <summary>A complete WebSocket message on the active transport or on the probe.</summary>
    internal void OnWebSocketMessage(WebSocketSession webSocket, WebSocketMessageKind kind, ReadOnlySpan<byte> payload)
    {
        if (!ReferenceEquals(webSocket, _webSocket))
        {
            OnProbeMessage(webSocket, kind, payload);
            return;
        }
        if (payload.Length > _options.MaxPayload)
        {
            webSocket.Close(WebSocketCloseCodes.MessageTooBig);
            Close("message too big");
            return;
        }
        if (kind == WebSocketMessageKind.Binary)
        {
            OnPacket(EngineIoPacketType.Message, payload, isBinary: true);
            return;
        }
        if (payload.IsEmpty || !EngineIoWire.TryGetType(payload[0], out var type) || type is EngineIoPacketType.Open or EngineIoPacketType.Upgrade)
        {
            Close("parse error");
            return;
        }
        OnPacket(type, payload[1..], isBinary: false);
    }

    private void OnProbeMessage(WebSocketSession probe, WebSocketMessageKind kind, ReadOnlySpan<byte> payload)
    {
        bool isText = kind == WebSocketMessageKind.Text;
        if (isText && payload.SequenceEqual("2probe"u8))
        {
            lock (_sync)
            {
                if (!ReferenceEquals(probe, _probe)) return;
                _upgrading = true;
                EndPollLocked();
            }
            probe.Send(WebSocketMessageKind.Text, "3probe"u8);
            return;
        }
        if (isText && payload.SequenceEqual("5"u8))
        {
            lock (_sync)
            {
                if (ReferenceEquals(probe, _probe) && _upgrading && !IsClosed)
                {
                    // What waited for a poll goes out first, on the new transport, in order; then the switch.
                    while (_outbox.TryDequeue(out var segment))
                    {
                        var frames = EngineIoMessageBuffers.PollingToWebSocket(segment.Span);
                        probe.SendFramed(frames);
                        frames.Release();
                        segment.Release();
                    }
                    EndPollLocked();
                    _probe = null;
                    _upgrading = false;
                    _webSocket = probe;
                    return;
                }
            }
        }
        // engine.io: anything else on a probe ends the probe; the session keeps polling.
        DropProbe(probe);
        probe.Close(WebSocketCloseCodes.NormalClosure);
    }

    /// <summary>The probe went away or failed: the session stays on polling.</summary>
    private void DropProbe(WebSocketSession probe)
    {
        lock (_sync)
        {
            if (!ReferenceEquals(probe, _probe)) return;
            _probe = null;
            _upgrading = false;
        }
    }

    /// <summary>A WebSocket of this session ended: the session ends with it, or a probe is just forgotten.</summary>
    internal void OnWebSocketClosed(WebSocketSession webSocket)
    {
        if (ReferenceEquals(webSocket, _webSocket)) Close("transport close");
        else DropProbe(webSocket);
    }

    private void ExpireUpgrade()
    {
        WebSocketSession? probe;
        lock (_sync) probe = _probe;
        if (probe is null) return;
        DropProbe(probe);
        probe.Close(WebSocketCloseCodes.NormalClosure);
    }
}
