using FastRealtime.Chat.Gateways.Serialization;

namespace FastRealtime.Chat.Gateways.Dispatch;

/// <summary>Picks the <see cref="ReplyStrategy{TResult}"/> for a handler's return type (at start-up).</summary>
internal static class ReplyStrategies
{
    public static object For(Type resultType, GatewayJson json)
    {
        if (resultType == typeof(Nothing)) return new NoReply<Nothing>();
        if (resultType == typeof(Task)) return new TaskNoReply();
        if (resultType == typeof(ValueTask)) return new ValueTaskNoReply();
        if (resultType.IsGenericType)
        {
            var definition = resultType.GetGenericTypeDefinition();
            var argument = resultType.GetGenericArguments()[0];
            if (definition == typeof(Task<>))
                return Create(typeof(TaskReply<>), [argument], For(argument, json));
            if (definition == typeof(ValueTask<>))
                return Create(typeof(ValueTaskReply<>), [argument], For(argument, json));
            if (definition == typeof(WsResponse<>))
                return Create(typeof(ResponseReply<>), [argument], json);
        }
        if (Binary(resultType, json) is { } binary) return binary;
        if (ResponseSequenceItem(resultType) is { } item)
            return Create(typeof(ResponsesReply<,>), [resultType, item], json);
        return Create(typeof(ValueReply<>), [resultType], json);
    }

    private static object? Binary(Type type, GatewayJson json) =>
        type == typeof(byte[]) ? new BinaryReply<byte[]>(json, static bytes => bytes)
        : type == typeof(ReadOnlyMemory<byte>) ? new BinaryReply<ReadOnlyMemory<byte>>(json, static memory => memory)
        : type == typeof(Memory<byte>) ? new BinaryReply<Memory<byte>>(json, static memory => memory)
        : type == typeof(ArraySegment<byte>) ? new BinaryReply<ArraySegment<byte>>(json, static segment => segment)
        : null;

    // T when the type is (or implements) IEnumerable<WsResponse<T>>.
    private static Type? ResponseSequenceItem(Type type)
    {
        foreach (var candidate in type.GetInterfaces().Append(type))
        {
            if (!candidate.IsGenericType || candidate.GetGenericTypeDefinition() != typeof(IEnumerable<>)) continue;
            var element = candidate.GetGenericArguments()[0];
            if (element.IsGenericType && element.GetGenericTypeDefinition() == typeof(WsResponse<>)) return element.GetGenericArguments()[0];
        }
        return null;
    }

    private static object Create(Type definition, Type[] arguments, object constructorArgument) =>
        Activator.CreateInstance(definition.MakeGenericType(arguments), constructorArgument)!;
}
