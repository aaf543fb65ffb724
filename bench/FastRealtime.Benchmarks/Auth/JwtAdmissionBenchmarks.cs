using BenchmarkDotNet.Attributes;
using FastRealtime.Chat.Auth;
using FastRealtime.Chat.ChatApp;

namespace FastRealtime.Benchmarks.Auth;

/// <summary>
/// Cost of admitting one connection with a JWT (signature, lifetime, claims): once per connection, not per message,
/// but a reconnect storm after a restart pays it for every client at once. Compare with <c>HandshakeBenchmarks</c>.
/// </summary>
[MemoryDiagnoser]
public class JwtAdmissionBenchmarks
{
    private readonly JwtTokenService _tokens = JwtTokenService.FromSettings(new ChatSettings { JwtSecret = "benchmark-secret-0123456789-abcdefghijklmnop" });
    private string _token = "";

    [GlobalSetup]
    public void Setup() => _token = _tokens.Create("u-42", "Ada", TimeSpan.FromHours(1), roles: ["member"]);

    [GlobalCleanup]
    public void Cleanup() => _tokens.Dispose();

    [Benchmark]
    public bool ValidateToken() => _tokens.Validate(_token).Succeeded;
}
