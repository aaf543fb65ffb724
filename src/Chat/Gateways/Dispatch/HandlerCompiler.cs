using System.Linq.Expressions;
using System.Reflection;
using FastRealtime.Chat.Gateways.Serialization;

namespace FastRealtime.Chat.Gateways.Dispatch;

/// <summary>
/// Turns a gateway's <see cref="SubscribeMessageAttribute"/> methods into <see cref="HandlerBinding"/>s at start-up:
/// one compiled delegate per handler (expression tree; parameters in any order), the payload's JSON type info, its
/// validator and the reply strategy for its return type. All reflection happens here, none per message.
/// </summary>
internal static class HandlerCompiler
{
    public static IEnumerable<HandlerBinding> Compile(object gateway, IGatewayGuard[] classGuards, Func<Type, object> resolveGuard, GatewayJson json)
    {
        var gatewayType = gateway.GetType();
        foreach (var method in gatewayType.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance))
        {
            var subscribe = method.GetCustomAttribute<SubscribeMessageAttribute>();
            if (subscribe is null) continue;
            var guards = classGuards.Concat(MessageGuards(method, resolveGuard)).ToArray();
            yield return Bind(gateway, gatewayType, method, subscribe.Event, guards, json);
        }
    }

    /// <summary>The message guards named by <see cref="UseGuardsAttribute"/> on a class or method, in declaration order.</summary>
    public static IEnumerable<IGatewayGuard> MessageGuards(MemberInfo member, Func<Type, object> resolveGuard)
    {
        foreach (var attribute in member.GetCustomAttributes<UseGuardsAttribute>())
            foreach (var type in attribute.Guards)
            {
                var guard = resolveGuard(type);
                if (guard is IGatewayGuard messageGuard) yield return messageGuard;
                else if (guard is not IGatewayConnectionGuard || member is MethodInfo)
                    throw new InvalidOperationException($"{type.Name} on {member.Name} is not an {nameof(IGatewayGuard)}.");
            }
    }

    private static HandlerBinding Bind(object gateway, Type gatewayType, MethodInfo method, string @event, IGatewayGuard[] guards, GatewayJson json)
    {
        if (method.IsGenericMethodDefinition)
            throw new InvalidOperationException($"Handler {gatewayType.Name}.{method.Name} must not be generic.");

        var payloadParameter = method.GetParameters()
            .Where(p => p.ParameterType != typeof(GatewayClient) && p.ParameterType != typeof(CancellationToken))
            .ToArray();
        if (payloadParameter.Length > 1)
            throw new InvalidOperationException(
                $"Handler {gatewayType.Name}.{method.Name} has several payload parameters; it takes one payload, the GatewayClient and a CancellationToken.");

        var payloadType = payloadParameter.Length == 1 ? payloadParameter[0].ParameterType : typeof(Nothing);
        var resultType = method.ReturnType == typeof(void) ? typeof(Nothing) : method.ReturnType;
        bool wantsCancellation = method.GetParameters().Any(p => p.ParameterType == typeof(CancellationToken));

        var call = CompileCall(gatewayType, method, payloadType, resultType);
        object? payloadInfo = payloadType == typeof(Nothing) ? null : json.Options.GetTypeInfo(payloadType);
        var validator = payloadType == typeof(Nothing) ? null : PayloadValidator.For(payloadType, json.Options);
        var reply = ReplyStrategies.For(resultType, json);

        var bindingType = typeof(HandlerBinding<,>).MakeGenericType(payloadType, resultType);
        return (HandlerBinding)Activator.CreateInstance(bindingType,
            @event, gatewayType, method, guards, gateway, call, payloadInfo, validator, wantsCancellation, reply)!;
    }

    // (object gateway, TPayload payload, GatewayClient client, CancellationToken ct) => ((TGateway)gateway).Method(args in its order)
    private static Delegate CompileCall(Type gatewayType, MethodInfo method, Type payloadType, Type resultType)
    {
        var gateway = Expression.Parameter(typeof(object), "gateway");
        var payload = Expression.Parameter(payloadType, "payload");
        var client = Expression.Parameter(typeof(GatewayClient), "client");
        var cancellation = Expression.Parameter(typeof(CancellationToken), "cancellationToken");
        var arguments = method.GetParameters().Select(p =>
            p.ParameterType == typeof(GatewayClient) ? client
            : p.ParameterType == typeof(CancellationToken) ? cancellation
            : (Expression)payload);
        Expression body = Expression.Call(Expression.Convert(gateway, gatewayType), method, arguments);
        if (method.ReturnType == typeof(void)) body = Expression.Block(body, Expression.Default(typeof(Nothing)));
        var delegateType = typeof(Func<,,,,>).MakeGenericType(typeof(object), payloadType, typeof(GatewayClient), typeof(CancellationToken), resultType);
        return Expression.Lambda(delegateType, body, gateway, payload, client, cancellation).Compile();
    }
}
