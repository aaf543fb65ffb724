using System.Reflection;

namespace FastRealtime.Tests.Benchmarks;

/// <summary>
/// Counts the bytes a benchmark method allocates on the calling thread per call. The method is bound to a typed
/// delegate first, because <see cref="MethodBase.Invoke(object?, object?[])"/> boxes value-type results and would be
/// counted as the benchmark's own allocation.
/// </summary>
internal static class AllocationProbe
{
    private const int CallsPerMeasure = 8;
    private const int Attempts = 3;

    /// <summary>
    /// The fewest bytes allocated over <see cref="CallsPerMeasure"/> calls in <see cref="Attempts"/> tries (after a
    /// warm-up), so one-off costs (first-call JIT stubs, a pool growing once) do not count but a per-call
    /// allocation always does: it shows in every try.
    /// </summary>
    public static long MinBytesPerBatch(object instance, MethodInfo benchmark)
    {
        Action call = Bind(instance, benchmark);
        for (int i = 0; i < CallsPerMeasure; i++) call();
        long fewest = long.MaxValue;
        for (int attempt = 0; attempt < Attempts && fewest > 0; attempt++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < CallsPerMeasure; i++) call();
            fewest = Math.Min(fewest, GC.GetAllocatedBytesForCurrentThread() - before);
        }
        return fewest;
    }

    private static Action Bind(object instance, MethodInfo method)
    {
        if (method.ReturnType == typeof(void)) return method.CreateDelegate<Action>(instance);
        MethodInfo discard = typeof(AllocationProbe).GetMethod(nameof(Discarding), BindingFlags.NonPublic | BindingFlags.Static)!
            .MakeGenericMethod(method.ReturnType);
        return (Action)discard.Invoke(null, [instance, method])!;
    }

    private static Action Discarding<T>(object instance, MethodInfo method)
    {
        var typed = method.CreateDelegate<Func<T>>(instance);
        return () => Sink<T>.Last = typed(); // a typed field: GC.KeepAlive(object) would box a value result
    }

    private static class Sink<T>
    {
        public static T? Last;
    }
}
