using System.Reflection;
using BenchmarkDotNet.Attributes;
using FastRealtime.Benchmarks;

namespace FastRealtime.Tests.Benchmarks;

/// <summary>
/// One benchmark class of bench/FastRealtime.Benchmarks with one combination of its [Params], driven the way
/// BenchmarkDotNet drives it (global setup, iteration setup, the method, iteration cleanup, global cleanup) but in
/// process and without timing: the CI smoke run that keeps the suites from rotting.
/// </summary>
internal sealed class BenchmarkCase
{
    private BenchmarkCase(Type type, (PropertyInfo Property, object? Value)[] parameters)
    {
        Type = type;
        Parameters = parameters;
    }

    public Type Type { get; }
    public (PropertyInfo Property, object? Value)[] Parameters { get; }

    public override string ToString() =>
        Type.Name + (Parameters.Length == 0 ? "" : "(" + string.Join(", ", Parameters.Select(p => $"{p.Property.Name}={p.Value}")) + ")");

    public static IEnumerable<MethodInfo> Benchmarks(Type type) =>
        type.GetMethods(BindingFlags.Public | BindingFlags.Instance).Where(m => m.IsDefined(typeof(BenchmarkAttribute)));

    /// <summary>Every benchmark class of the assembly, once per combination of its [Params] values; a suite that needs an
    /// outside service (<see cref="RequiresEnvironmentAttribute"/>) only where its variable is set.</summary>
    public static IEnumerable<BenchmarkCase> All(Assembly assembly)
    {
        foreach (Type type in assembly.GetTypes().Where(t => t is { IsClass: true, IsAbstract: false } && Benchmarks(t).Any()).OrderBy(t => t.FullName))
        {
            if (type.GetCustomAttribute<RequiresEnvironmentAttribute>() is { } requires && Environment.GetEnvironmentVariable(requires.Variable) is null)
                continue;
            var dimensions = type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
                .Select(p => (Property: p, Values: p.GetCustomAttribute<ParamsAttribute>()?.Values))
                .Where(d => d.Values is not null)
                .ToArray();
            IEnumerable<(PropertyInfo, object?)[]> combinations = [[]];
            foreach (var (property, values) in dimensions)
                combinations = combinations.SelectMany(c => values!.Select(v => c.Append((property, v)).ToArray()));
            foreach (var combination in combinations) yield return new BenchmarkCase(type, combination);
        }
    }

    /// <summary>A new instance with the parameters set and [GlobalSetup] run.</summary>
    public object Create()
    {
        object instance = Activator.CreateInstance(Type)!;
        foreach (var (property, value) in Parameters) property.SetValue(instance, value);
        RunMarked<GlobalSetupAttribute>(instance);
        return instance;
    }

    public static void Cleanup(object instance) => RunMarked<GlobalCleanupAttribute>(instance);

    /// <summary>Runs <paramref name="benchmark"/> once, between the iteration setup and cleanup BenchmarkDotNet would run.</summary>
    public static void InvokeOnce(object instance, MethodInfo benchmark)
    {
        RunMarked<IterationSetupAttribute>(instance);
        benchmark.Invoke(instance, null);
        RunMarked<IterationCleanupAttribute>(instance);
    }

    private static void RunMarked<TAttribute>(object instance) where TAttribute : Attribute
    {
        foreach (MethodInfo method in instance.GetType().GetMethods(BindingFlags.Public | BindingFlags.Instance).Where(m => m.IsDefined(typeof(TAttribute))))
            method.Invoke(instance, null);
    }
}
