using System.Net.Sockets;

namespace FastRealtime.Core.Connections;

public sealed partial class Connection
{
    private readonly SocketAwaitableEventArgs _receiveArgs = new();
    private volatile bool _peerFinished; // the peer sent its FIN (read returned 0)

    // The connection whose received bytes this thread is handing to its protocol right now; sends it makes
    // meanwhile are flushed once the batch is processed (one syscall for all replies) instead of each on its own.
    [ThreadStatic]
    private static Connection? t_receiving;

    private async Task ReceiveLoopAsync()
    {
        var writer = _receivePipe.Writer;
        try
        {
            while (true)
            {
                // Wait for data before taking a buffer, so an idle connection holds none (Kestrel does the same).
                var ready = await _receiveArgs.ReceiveAsync(_socket, Memory<byte>.Empty);
                if (ready.HasError)
                {
                    EndFromSocketError(ready.Error);
                    break;
                }

                var memory = writer.GetMemory(1);
                var received = await _receiveArgs.ReceiveAsync(_socket, memory);
                if (received.HasError)
                {
                    EndFromSocketError(received.Error);
                    break;
                }
                if (received.BytesTransferred == 0)
                {
                    // The peer's FIN is a half-close, not the end: what is queued for it must still go out, and the
                    // socket must still be shut down and closed by RunAsync, so the end reason is not set here.
                    _peerFinished = true;
                    break;
                }

                writer.Advance(received.BytesTransferred);
                _metrics.BytesIn(received.BytesTransferred);

                t_receiving = this;
                var flushTask = writer.FlushAsync();
                t_receiving = null;
                FlushDeferredSends();

                var flush = flushTask.IsCompletedSuccessfully ? flushTask.Result : await flushTask;
                if (flush.IsCompleted)
                {
                    await DiscardUntilEndAsync();
                    break;
                }
                if (flush.IsCanceled) break;
            }
        }
        catch (ObjectDisposedException)
        {
            // Aborted from another thread while a receive was being started.
        }
        finally
        {
            await writer.CompleteAsync();
        }
    }

    // The handler has stopped reading: keep draining the socket until the peer's FIN or an error, so the
    // lingering close can see it (bounded by the caller's timeout).
    private async Task DiscardUntilEndAsync()
    {
        using var scratch = Buffers.BlockMemoryPool.Shared.Rent();
        while (true)
        {
            var received = await _receiveArgs.ReceiveAsync(_socket, scratch.Memory);
            if (received.HasError || received.BytesTransferred == 0) return;
        }
    }

    private void EndFromSocketError(SocketError error)
    {
        var reason = error is SocketError.OperationAborted or SocketError.Shutdown
            ? ConnectionEndReason.LocalClosed
            : ConnectionEndReason.RemoteReset;
        if (TrySetEndReason(reason))
        {
            CancelTimer();
            _socket.Close();
            ReleaseQueuedItems();
        }
    }
}
