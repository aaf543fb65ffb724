using System.Collections.Frozen;
using System.Text.Unicode;

namespace FastRealtime.Chat.Gateways.Dispatch;

/// <summary>Event name (as received, UTF-8) → handler, built once at start-up; lookups allocate nothing.</summary>
internal sealed class HandlerTable
{
    private const int MaxEventChars = 256;
    private readonly FrozenDictionary<string, HandlerBinding> _byName;
    private readonly FrozenDictionary<string, HandlerBinding>.AlternateLookup<ReadOnlySpan<char>> _lookup;

    public HandlerTable(IEnumerable<HandlerBinding> bindings)
    {
        var map = new Dictionary<string, HandlerBinding>(StringComparer.Ordinal);
        foreach (var binding in bindings)
        {
            if (!map.TryAdd(binding.Event, binding))
                throw new InvalidOperationException(
                    $"Event '{binding.Event}' has two handlers: {map[binding.Event].Describe()} and {binding.Describe()}.");
        }
        _byName = map.ToFrozenDictionary(StringComparer.Ordinal);
        _lookup = _byName.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    public int Count => _byName.Count;

    public IEnumerable<string> Events => _byName.Keys;

    public bool TryFind(ReadOnlySpan<byte> utf8Event, out HandlerBinding binding)
    {
        binding = null!;
        Span<char> chars = stackalloc char[MaxEventChars];
        if (Utf8.ToUtf16(utf8Event, chars, out _, out int written) != System.Buffers.OperationStatus.Done) return false;
        return _lookup.TryGetValue(chars[..written], out binding!);
    }
}
