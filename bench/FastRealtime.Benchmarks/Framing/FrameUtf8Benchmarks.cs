using System.Text;
using System.Text.Unicode;
using BenchmarkDotNet.Attributes;
using FastRealtime.Transport.WebSockets;

namespace FastRealtime.Benchmarks.Framing;

/// <summary>
/// Validating text payloads: <see cref="Utf8Validator"/> in one chunk and in 1 KiB chunks (as a fragmented
/// message arrives), against <see cref="Utf8.IsValid"/> on the whole text as the baseline.
/// </summary>
[MemoryDiagnoser]
public class FrameUtf8Benchmarks
{
    private byte[] _text = [];

    [Params(16, 1024, 64 * 1024)]
    public int PayloadSize { get; set; }

    [Params(false, true)]
    public bool MultiByte { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        string unit = MultiByte ? "héllo wörld € 😀 " : "hello world, ok! ";
        byte[] text = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat(unit, (PayloadSize / unit.Length) + 1)));
        _text = text[..PayloadSize];
        while (!Utf8.IsValid(_text))
        {
            _text = _text[..^1]; // do not end inside a code point
        }
    }

    [Benchmark(Baseline = true)]

    [ZeroAllocation]
    public bool Utf8IsValid() => Utf8.IsValid(_text);

    [Benchmark]

    [ZeroAllocation]
    public bool ValidatorWhole()
    {
        var validator = default(Utf8Validator);
        return validator.Append(_text, final: true);
    }

    [Benchmark]

    [ZeroAllocation]
    public bool ValidatorIn1KiBChunks()
    {
        var validator = default(Utf8Validator);
        ReadOnlySpan<byte> rest = _text;
        while (rest.Length > 1024)
        {
            if (!validator.Append(rest[..1024], final: false))
            {
                return false;
            }

            rest = rest[1024..];
        }

        return validator.Append(rest, final: true);
    }
}
