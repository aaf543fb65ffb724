using BenchmarkDotNet.Running;

namespace FastRealtime.Benchmarks;

public static class Program
{
    /// <summary>Pick benchmarks on the command line, e.g. <c>-- --filter '*Frame*' --job short</c>.</summary>
    public static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
}
