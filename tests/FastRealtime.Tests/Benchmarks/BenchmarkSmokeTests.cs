using System.Diagnostics;
using System.Reflection;
using FastRealtime.Benchmarks;

namespace FastRealtime.Tests.Benchmarks;

/// <summary>
/// Runs every [Benchmark] method of bench/FastRealtime.Benchmarks once, for every [Params] combination, in process
/// (no timing: BenchmarkDotNet measures, this only proves the suites still set up, run and clean up), and holds
/// every method marked [ZeroAllocation] to 0 bytes allocated per call. In the allocation-counting collection: other
/// tests renting and releasing pooled buffers in parallel would make the pools grow on this thread.
/// </summary>
[Collection(FastRealtime.Tests.Rooms.AllocationCountingCollection.Name)]
public sealed class BenchmarkSmokeTests
{
    private static readonly Assembly Suites = typeof(ZeroAllocationAttribute).Assembly;

    [Fact]
    public void EverySuite_EveryParamsCombination_RunsOnceWithoutError()
    {
        var failures = new List<string>();
        int invoked = 0;
        foreach (BenchmarkCase benchmarkCase in BenchmarkCase.All(Suites))
        {
            object instance = benchmarkCase.Create();
            try
            {
                foreach (MethodInfo benchmark in BenchmarkCase.Benchmarks(benchmarkCase.Type))
                {
                    try
                    {
                        BenchmarkCase.InvokeOnce(instance, benchmark);
                        invoked++;
                    }
                    catch (TargetInvocationException e)
                    {
                        failures.Add($"{benchmarkCase}.{benchmark.Name}: {e.InnerException}");
                    }
                }
            }
            finally
            {
                BenchmarkCase.Cleanup(instance);
            }
        }

        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
        Assert.True(invoked >= 80, $"only {invoked} benchmark invocations found; did the suites move?");
    }

    [Fact]
    public void ZeroAllocationBenchmarks_SteadyState_AllocateNothingOnTheCallingThread()
    {
        var offenders = new List<string>();
        int checkedMethods = 0;
        foreach (BenchmarkCase benchmarkCase in BenchmarkCase.All(Suites))
        {
            MethodInfo[] promised = BenchmarkCase.Benchmarks(benchmarkCase.Type).Where(m => m.IsDefined(typeof(ZeroAllocationAttribute))).ToArray();
            if (promised.Length == 0) continue;
            object instance = benchmarkCase.Create();
            try
            {
                foreach (MethodInfo benchmark in promised)
                {
                    long bytes = AllocationProbe.MinBytesPerBatch(instance, benchmark);
                    checkedMethods++;
                    if (bytes != 0) offenders.Add($"{benchmarkCase}.{benchmark.Name}: {bytes} B per batch");
                }
            }
            finally
            {
                BenchmarkCase.Cleanup(instance);
            }
        }

        Assert.True(offenders.Count == 0, string.Join(Environment.NewLine, offenders));
        Assert.True(checkedMethods >= 10, $"only {checkedMethods} [ZeroAllocation] benchmarks checked");
    }
}
