using BenchmarkDotNet.Attributes;
using FastRealtime.Chat.History;
using Npgsql;

namespace FastRealtime.Benchmarks.History;

/// <summary>
/// <see cref="HistoryAppendBenchmarks"/> on <see cref="PostgresChatHistoryStore"/>, in a fresh schema of the server
/// named by the environment variable <c>FASTREALTIME_BENCH_POSTGRES</c> (an Npgsql connection string; the schema is
/// dropped afterwards).
/// </summary>
/// <remarks>
/// Run: <c>FASTREALTIME_BENCH_POSTGRES="Host=127.0.0.1;Port=...;Username=postgres" dotnet run -c Release --project
/// bench/FastRealtime.Benchmarks -- --filter '*PostgresHistoryAppend*' --job short</c>.
/// Recorded 2026-11-22 09:17 UTC, ShortRun, in process, PostgreSQL 15 started by initdb/pg_ctl on the same 2 cores,
/// otherwise quiet (server defaults: fsync, synchronous_commit on):
/// <code>
/// | Appenders | Mean/message | stored messages/s | Allocated/message |
/// |        64 |     14.3 us  |   ~70,000 | 188 B |
/// |     1,024 |     11.6 us  |   ~86,000 | 178 B |
/// </code>
/// An earlier run on the machine shared with about twenty other processes gave 119 us and 24.8 us: the server's
/// commit (WAL flush, CPU shared with the client) dominates with small batches, and throughput rises with concurrency
/// as the batches grow.
/// </remarks>
[MemoryDiagnoser]
[RequiresEnvironment(ServerVariable)]
public class PostgresHistoryAppendBenchmarks : HistoryAppendBenchmarks
{
    private const string ServerVariable = "FASTREALTIME_BENCH_POSTGRES";

    private string _schema = null!;

    protected override IChatHistoryStore OpenStore()
    {
        _schema = "bench_" + Guid.NewGuid().ToString("N");
        Execute($"CREATE SCHEMA {_schema};");
        return new PostgresChatHistoryStore(new PostgresHistoryOptions
        {
            ConnectionString = new NpgsqlConnectionStringBuilder(Server) { SearchPath = _schema }.ConnectionString,
        });
    }

    protected override void DeleteStorage() => Execute($"DROP SCHEMA {_schema} CASCADE;");

    private static string Server => Environment.GetEnvironmentVariable(ServerVariable)
        ?? throw new InvalidOperationException($"Set {ServerVariable} to an Npgsql connection string of a PostgreSQL to measure.");

    private static void Execute(string sql)
    {
        using var connection = new NpgsqlConnection(Server);
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        command.ExecuteNonQuery();
    }
}
