namespace FastRealtime.Tests.LoadGen;

/// <summary>
/// The load generator's end-to-end runs drive servers as hard as they can; in one collection they run one class at
/// a time, so a peer saturating the CPU does not starve another class's run past its server's idle timeout.
/// </summary>
[CollectionDefinition(Name)]
public sealed class LoadGenEndToEndCollection
{
    public const string Name = "LoadGen end to end";
}
