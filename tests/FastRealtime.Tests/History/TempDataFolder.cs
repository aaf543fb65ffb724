namespace FastRealtime.Tests.History;

/// <summary>A fresh folder under the temp directory, deleted (with everything in it) on dispose.</summary>
internal sealed class TempDataFolder : IDisposable
{
    public TempDataFolder() => Path = Directory.CreateTempSubdirectory("fr-history-").FullName;

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); }
        catch (IOException) { } // best effort: a leftover temp folder must not fail a test
    }
}
