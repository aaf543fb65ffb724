namespace FastRealtime.Benchmarks;

/// <summary>
/// The suite measures an outside service named by <see cref="Variable"/> (a PostgreSQL, say) and cannot run without
/// it; the CI smoke test (tests/FastRealtime.Tests/Benchmarks) runs it only where the variable is set.
/// </summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class RequiresEnvironmentAttribute(string variable) : Attribute
{
    public string Variable { get; } = variable;
}
