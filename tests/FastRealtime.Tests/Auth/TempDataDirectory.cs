namespace FastRealtime.Tests.Auth;

/// <summary>A fresh data folder path under the temp directory (not created), deleted with everything in it on dispose.</summary>
internal sealed class TempDataDirectory : IDisposable
{
    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "fastrealtime-auth-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(Path)) Directory.Delete(Path, recursive: true);
    }
}
