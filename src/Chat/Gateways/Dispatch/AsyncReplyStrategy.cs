namespace FastRealtime.Chat.Gateways.Dispatch;

// Asynchronous handlers. A task that has already completed takes the synchronous path (no copy, no state machine);
// otherwise the ack id and the request data are copied (the receive buffer will be reused) and the continuation
// answers its own failures through the exception filter. Task results go through the ValueTask strategies.

internal sealed class ValueTaskReply<T>(ReplyStrategy<T> inner) : ReplyStrategy<ValueTask<T>>
{
    public override ValueTask Complete(GatewayClient client, string @event, ValueTask<T> result, ReadOnlySpan<byte> ackId, ReadOnlySpan<byte> requestData) =>
        result.IsCompletedSuccessfully
            ? inner.Complete(client, @event, result.Result, ackId, requestData)
            : AwaitAsync(client, @event, result, ackId.ToArray(), requestData.ToArray());

    private async ValueTask AwaitAsync(GatewayClient client, string @event, ValueTask<T> pending, byte[] ackId, byte[] requestData)
    {
        try
        {
            var value = await pending.ConfigureAwait(false);
            await inner.Complete(client, @event, value, ackId, requestData).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            GatewayExceptionReply.Send(client, @event, ackId, requestData, e);
        }
    }
}

internal sealed class TaskReply<T>(ReplyStrategy<T> inner) : ReplyStrategy<Task<T>>
{
    private readonly ValueTaskReply<T> _asValueTask = new(inner);

    public override ValueTask Complete(GatewayClient client, string @event, Task<T> result, ReadOnlySpan<byte> ackId, ReadOnlySpan<byte> requestData) =>
        _asValueTask.Complete(client, @event, new ValueTask<T>(result), ackId, requestData);
}

internal sealed class ValueTaskNoReply : ReplyStrategy<ValueTask>
{
    private static readonly NoReply<Nothing> s_done = new();

    public override ValueTask Complete(GatewayClient client, string @event, ValueTask result, ReadOnlySpan<byte> ackId, ReadOnlySpan<byte> requestData)
    {
        if (!result.IsCompletedSuccessfully) return AwaitAsync(client, @event, result, ackId.ToArray(), requestData.ToArray());
        result.GetAwaiter().GetResult(); // release a pooled IValueTaskSource
        return s_done.Complete(client, @event, default, ackId, requestData);
    }

    private static async ValueTask AwaitAsync(GatewayClient client, string @event, ValueTask pending, byte[] ackId, byte[] requestData)
    {
        try
        {
            await pending.ConfigureAwait(false);
            await s_done.Complete(client, @event, default, ackId, requestData).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            GatewayExceptionReply.Send(client, @event, ackId, requestData, e);
        }
    }
}

internal sealed class TaskNoReply : ReplyStrategy<Task>
{
    private static readonly ValueTaskNoReply s_asValueTask = new();

    public override ValueTask Complete(GatewayClient client, string @event, Task result, ReadOnlySpan<byte> ackId, ReadOnlySpan<byte> requestData) =>
        s_asValueTask.Complete(client, @event, new ValueTask(result), ackId, requestData);
}
