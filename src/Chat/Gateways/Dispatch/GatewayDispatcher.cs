using System.Text;

namespace FastRealtime.Chat.Gateways.Dispatch;

/// <summary>
/// The message pipeline of one namespace: find the handler, run its guards, then the handler (which reads,
/// validates, calls and replies). Every failure becomes the <c>exception</c> event; nothing here throws.
/// </summary>
/// <remarks>
/// Called on the client's message sequence (one message at a time per client). The synchronous path allocates
/// nothing of its own; a guard that goes asynchronous copies the request data and id once.
/// </remarks>
internal sealed class GatewayDispatcher(HandlerTable handlers, GatewayOptions options)
{
    public const string ForbiddenMessage = "Forbidden resource";

    public HandlerTable Handlers => handlers;

    public ValueTask Dispatch(GatewayClient client, ReadOnlySpan<byte> @event, ReadOnlySpan<byte> data, ReadOnlySpan<byte> ackId)
    {
        if (!handlers.TryFind(@event, out var binding))
        {
            if (!options.IgnoreUnknownEvents)
            {
                string name = Encoding.UTF8.GetString(@event);
                GatewayExceptionReply.Send(client, name, ackId, data, $"There is no handler for event '{name}'");
            }
            return default;
        }
        try
        {
            var guards = binding.Guards;
            for (int i = 0; i < guards.Length; i++)
            {
                var decision = guards[i].CanActivate(Context(client, binding));
                if (!decision.IsCompletedSuccessfully)
                    return ContinueAfterGuardAsync(client, binding, i, decision, data.ToArray(), ackId.ToArray());
                if (!decision.Result)
                {
                    GatewayExceptionReply.Send(client, binding.Event, ackId, data, ForbiddenMessage);
                    return default;
                }
            }
            return binding.Invoke(client, data, ackId);
        }
        catch (Exception e)
        {
            GatewayExceptionReply.Send(client, binding.Event, ackId, data, e);
            return default;
        }
    }

    private static async ValueTask ContinueAfterGuardAsync(
        GatewayClient client, HandlerBinding binding, int guardIndex, ValueTask<bool> pending, byte[] data, byte[] ackId)
    {
        try
        {
            bool allowed = await pending.ConfigureAwait(false);
            for (int i = guardIndex + 1; allowed && i < binding.Guards.Length; i++)
                allowed = await binding.Guards[i].CanActivate(Context(client, binding)).ConfigureAwait(false);
            if (!allowed)
            {
                GatewayExceptionReply.Send(client, binding.Event, ackId, data, ForbiddenMessage);
                return;
            }
            await binding.Invoke(client, data, ackId).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            GatewayExceptionReply.Send(client, binding.Event, ackId, data, e);
        }
    }

    private static GatewayExecutionContext Context(GatewayClient client, HandlerBinding binding) =>
        new(client, binding.Event, binding.GatewayType, binding.Method);
}
