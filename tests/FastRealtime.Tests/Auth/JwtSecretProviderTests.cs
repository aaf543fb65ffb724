using FastRealtime.Chat.Auth;
using FastRealtime.Chat.ChatApp;

namespace FastRealtime.Tests.Auth;

public sealed class JwtSecretProviderTests : IDisposable
{
    private readonly TempDataDirectory _data = new();

    public void Dispose() => _data.Dispose();

    [Fact]
    public void NoConfiguredSecret_GeneratesOnceInTheDataFolder_Private_AndReuses()
    {
        var first = new JwtSecretProvider(new ChatSettings { DataDirectory = _data.Path });

        Assert.True(first.IsDevelopment);
        string path = Path.Combine(_data.Path, JwtSecretProvider.SecretFileName);
        Assert.Equal(Path.GetFullPath(path), first.SecretFilePath);
        Assert.Matches("^[A-Za-z0-9_-]{43}$", first.Secret); // 32 random bytes, base64url without padding
        Assert.Equal(first.Secret, File.ReadAllText(path).Trim());
        if (!OperatingSystem.IsWindows())
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));

        var second = new JwtSecretProvider(new ChatSettings { DataDirectory = _data.Path });
        Assert.Equal(first.Secret, second.Secret);
        Assert.Single(Directory.GetFiles(_data.Path)); // no temporary file left behind
    }

    [Fact]
    public void NoConfiguredSecret_TokensOfOneStartValidateInTheNext()
    {
        var settings = new ChatSettings { DataDirectory = _data.Path };
        string token = JwtTokenService.FromSettings(settings).Create("u1", "Alice", TimeSpan.FromMinutes(1));
        Assert.True(JwtTokenService.FromSettings(settings).Validate(token).Succeeded);
    }

    [Fact]
    public void TwoDataFolders_TwoSecrets()
    {
        var a = new JwtSecretProvider(new ChatSettings { DataDirectory = Path.Combine(_data.Path, "a") });
        var b = new JwtSecretProvider(new ChatSettings { DataDirectory = Path.Combine(_data.Path, "b") });
        Assert.NotEqual(a.Secret, b.Secret);
    }

    [Fact]
    public async Task LoadOrCreate_ConcurrentFirstStarts_AllGetTheOneSecret()
    {
        string path = Path.Combine(_data.Path, JwtSecretProvider.SecretFileName);
        using var start = new Barrier(16);
        var secrets = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Factory.StartNew(() =>
        {
            start.SignalAndWait();
            return JwtSecretProvider.LoadOrCreate(path);
        }, TaskCreationOptions.LongRunning)));

        Assert.Single(secrets.Distinct());
        Assert.Equal(secrets[0], File.ReadAllText(path).Trim());
        Assert.Single(Directory.GetFiles(_data.Path));
    }

    [Fact]
    public void ConfiguredSecret_UsedAsIs_NoFileWritten()
    {
        var provider = new JwtSecretProvider(new ChatSettings { DataDirectory = _data.Path, JwtSecret = TestTokens.Secret });
        Assert.False(provider.IsDevelopment);
        Assert.Null(provider.SecretFilePath);
        Assert.Equal(TestTokens.Secret, provider.Secret);
        Assert.False(Directory.Exists(_data.Path));
    }

    [Fact]
    public void ExistingSecretFileTooShort_RefusedWithItsPath()
    {
        Directory.CreateDirectory(_data.Path);
        File.WriteAllText(Path.Combine(_data.Path, JwtSecretProvider.SecretFileName), "short\n");
        var error = Assert.Throws<InvalidOperationException>(() => new JwtSecretProvider(new ChatSettings { DataDirectory = _data.Path }));
        Assert.Contains(JwtSecretProvider.SecretFileName, error.Message);
    }
}
