namespace FastRealtime.Benchmarks;

/// <summary>
/// The architecture promises this benchmark allocates nothing per operation (0 B/op). BenchmarkSmokeTests
/// (tests/FastRealtime.Tests/Benchmarks) holds every method so marked to it by counting the bytes the calling thread
/// allocates, so the promise is checked in CI and not only when someone reads a MemoryDiagnoser column.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class ZeroAllocationAttribute : Attribute;
