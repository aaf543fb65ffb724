using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace FastRealtime.Tests.History;

/// <summary>
/// A throwaway PostgreSQL server for the tests of one class: <c>initdb</c> into a temp folder, <c>pg_ctl start</c> on a
/// free 127.0.0.1 port (trust authentication, loopback only), stopped and deleted on dispose. Needs the Debian
/// <c>postgresql</c> package (binaries in /usr/lib/postgresql/&lt;version&gt;/bin). PostgreSQL refuses to run as root,
/// so as root the server runs as the <c>postgres</c> user (runuser) in a folder it owns.
/// </summary>
public sealed class PostgresServerFixture : IDisposable
{
    private static readonly TimeSpan CommandBound = TimeSpan.FromSeconds(90);

    private readonly string _bin;
    private readonly string _root;
    private readonly string _data;
    private bool _started;

    public PostgresServerFixture()
    {
        _bin = FindBinDirectory();
        _root = Directory.CreateTempSubdirectory("fr-pg-").FullName;
        _data = Path.Combine(_root, "data");
        try
        {
            if (Environment.IsPrivilegedProcess) Run("chown", ["postgres:postgres", _root], asPostgres: false);
            Port = FreeLoopbackPort();
            Run(Path.Combine(_bin, "initdb"), ["-D", _data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync", "--no-instructions"]);
            Run(Path.Combine(_bin, "pg_ctl"), ["start", "-D", _data, "-w", "-t", "60", "-l", Path.Combine(_root, "server.log"),
                "-o", $"-c listen_addresses=127.0.0.1 -p {Port} -k {_root} -c max_connections=200"]);
            _started = true;
        }
        catch (Exception e)
        {
            string log = File.Exists(Path.Combine(_root, "server.log")) ? File.ReadAllText(Path.Combine(_root, "server.log")) : "";
            Dispose();
            throw new InvalidOperationException($"Could not start a throwaway PostgreSQL: {e.Message}\n{log}", e);
        }
    }

    public int Port { get; }

    /// <summary>The superuser on the <c>postgres</c> database, unpooled.</summary>
    public string AdminConnectionString => $"Host=127.0.0.1;Port={Port};Username=postgres;Database=postgres;Pooling=false";

    /// <summary>A new empty schema; the returned connection string puts it first on the search path, so tables go there.</summary>
    public string CreateSchema(out string schema)
    {
        schema = "t_" + Guid.NewGuid().ToString("N");
        Execute($"CREATE SCHEMA {schema};");
        return $"Host=127.0.0.1;Port={Port};Username=postgres;Database=postgres;Search Path={schema};Application Name={schema}";
    }

    public object? Execute(string sql)
    {
        using var connection = new NpgsqlConnection(AdminConnectionString);
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        return command.ExecuteScalar();
    }

    public void Dispose()
    {
        if (_started)
        {
            _started = false;
            try { Run(Path.Combine(_bin, "pg_ctl"), ["stop", "-D", _data, "-m", "fast", "-w", "-t", "60"]); }
            catch (InvalidOperationException) { } // best effort; the temp folder goes anyway
        }
        try { Directory.Delete(_root, recursive: true); }
        catch (IOException) { }
    }

    private static string FindBinDirectory()
    {
        const string root = "/usr/lib/postgresql";
        string? bin = Directory.Exists(root)
            ? Directory.GetDirectories(root)
                .Select(version => Path.Combine(version, "bin"))
                .Where(dir => File.Exists(Path.Combine(dir, "pg_ctl")) && File.Exists(Path.Combine(dir, "initdb")))
                .OrderByDescending(dir => int.TryParse(Path.GetFileName(Path.GetDirectoryName(dir)), out int v) ? v : 0)
                .FirstOrDefault()
            : null;
        return bin ?? throw new InvalidOperationException(
            "PostgreSQL server binaries not found under /usr/lib/postgresql/*/bin: apt-get install -y postgresql");
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private void Run(string program, string[] arguments, bool asPostgres = true)
    {
        var start = new ProcessStartInfo { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (asPostgres && Environment.IsPrivilegedProcess)
        {
            start.FileName = "runuser";
            foreach (string a in (string[])["-u", "postgres", "--", program]) start.ArgumentList.Add(a);
        }
        else
        {
            start.FileName = program;
        }
        foreach (string a in arguments) start.ArgumentList.Add(a);

        using Process process = Process.Start(start)!;
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(CommandBound))
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"{Path.GetFileName(program)} did not finish within {CommandBound}");
        }
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"{Path.GetFileName(program)} exited with {process.ExitCode}: {output.Result} {error.Result}");
        }
    }
}
