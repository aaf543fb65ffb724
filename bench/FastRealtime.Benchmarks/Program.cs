using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Running;

namespace FastRealtime.Benchmarks;

/// <summary>
/// <c>dotnet run -c Release --project bench/FastRealtime.Benchmarks -- --filter '*Outbound*' --job short</c>.
/// No suite pins a job: the command line chooses (<c>--job short</c> for a quick look, the default job for figures
/// to keep), so <c>--filter</c> and <c>--job</c> work the same on every suite. The memory diagnoser is on for all.
/// </summary>
public static class BenchmarkEntryPoint
{
    public static void Main(string[] args) =>
        BenchmarkSwitcher.FromAssembly(typeof(BenchmarkEntryPoint).Assembly).Run(args, DefaultConfig.Instance.AddDiagnoser(MemoryDiagnoser.Default));
}
