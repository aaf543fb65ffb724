using System.Buffers;
using System.Text;
using FastRealtime.Transport.Http;
using static FastRealtime.Tests.Http.HttpTestInput;

namespace FastRealtime.Tests.Http;

public class HttpRequestHeadLimitsTests
{
    private static string RequestWithHeaders(int count, bool terminated)
    {
        var sb = new StringBuilder("GET / HTTP/1.1\r\nHost: a\r\n");
        for (int i = 1; i < count; i++)
        {
            sb.Append("a: b\r\n");
        }
        return sb.Append(terminated ? "\r\n" : "").ToString();
    }

    [Fact]
    public void TryParse_ExactlyMaxHeaderCount_Complete()
    {
        RequestParse r = ParseRequest(RequestWithHeaders(100, terminated: true));
        Assert.Equal(HttpParseStatus.Complete, r.Status);
        Assert.Equal(100, r.Head!.Headers.Count);
    }

    [Fact]
    public void TryParse_2000TinyHeaders_431AsSoonAsHeader101Arrives()
    {
        byte[] all = Bytes(RequestWithHeaders(2000, terminated: true));
        int endOf100 = Bytes(RequestWithHeaders(100, terminated: false)).Length;
        int endOf101 = endOf100 + "a: b\r\n".Length;

        RequestParse with100 = ParseRequest(Segments(all[..endOf100], endOf100 / 3));
        Assert.Equal(HttpParseStatus.Incomplete, with100.Status);

        RequestParse with101 = ParseRequest(Segments(all[..endOf101], endOf101 / 3));
        Assert.Equal(HttpParseStatus.Error, with101.Status);
        Assert.Equal(431, with101.StatusCode);
        Assert.Equal(endOf101, with101.Remaining.Length);

        ForEverySplit(all[..(endOf101 + 12)], r => Assert.Equal((HttpParseStatus.Error, 431), (r.Status, r.StatusCode)));
        RequestParse whole = ParseRequest(new ReadOnlySequence<byte>(all));
        Assert.Equal((HttpParseStatus.Error, 431, all.Length), (whole.Status, whole.StatusCode, whole.Remaining.Length));
    }

    [Fact]
    public void TryParse_CustomHeaderCount_431AfterLimit()
    {
        var limits = new HttpLimits { MaxHeaderCount = 3 };
        Assert.Equal(HttpParseStatus.Complete, ParseRequest(RequestWithHeaders(3, terminated: true), limits).Status);
        RequestParse r = ParseRequest(RequestWithHeaders(4, terminated: false), limits);
        Assert.Equal((HttpParseStatus.Error, 431), (r.Status, r.StatusCode));
    }

    [Fact]
    public void TryParse_64KiBHeader_431OncePastLimitWithoutReadingFurther()
    {
        const int limit = 8 * 1024;
        // A terminator sits right after the limit: a parser that looked past MaxRequestHeadBytes would find it and succeed.
        string prefix = "GET / HTTP/1.1\r\nHost: a\r\nX-Big: ";
        byte[] input = Bytes(prefix + new string('v', limit - prefix.Length) + "\r\n\r\n" + new string('v', 64 * 1024));

        RequestParse atLimit = ParseRequest(Segments(input[..limit], 100, 5000));
        Assert.Equal(HttpParseStatus.Incomplete, atLimit.Status);

        RequestParse overLimit = ParseRequest(Segments(input[..(limit + 1)], 100, 5000));
        Assert.Equal((HttpParseStatus.Error, 431), (overLimit.Status, overLimit.StatusCode));
        Assert.Equal(limit + 1, overLimit.Remaining.Length);

        RequestParse whole = ParseRequest(Segments(input, limit, limit + 1, limit + 2));
        Assert.Equal((HttpParseStatus.Error, 431, input.Length), (whole.Status, whole.StatusCode, whole.Remaining.Length));
    }

    [Fact]
    public void TryParse_HeadExactlyAtLimit_CompleteAndOneByteMore431()
    {
        const int limit = 8 * 1024;
        string start = "GET / HTTP/1.1\r\nHost: a\r\nX: ";
        string exact = start + new string('v', limit - start.Length - 4) + "\r\n\r\n";
        Assert.Equal(limit, exact.Length);

        RequestParse fits = ParseRequest(Segments(Bytes(exact + "GET"), 17));
        Assert.Equal(HttpParseStatus.Complete, fits.Status);
        Assert.Equal("GET", Encoding.ASCII.GetString(fits.Remaining));

        string tooBig = start + new string('v', limit - start.Length - 3) + "\r\n\r\n";
        RequestParse r = ParseRequest(tooBig);
        Assert.Equal((HttpParseStatus.Error, 431), (r.Status, r.StatusCode));
    }

    [Fact]
    public void TryParse_LongRequestLineWithoutEnd_431()
    {
        RequestParse r = ParseRequest("GET /" + new string('a', 9000));
        Assert.Equal((HttpParseStatus.Error, 431), (r.Status, r.StatusCode));
    }

    [Fact]
    public void TryParse_SmallerHeadLimit_Respected()
    {
        var limits = new HttpLimits { MaxRequestHeadBytes = 32 };
        Assert.Equal(HttpParseStatus.Complete, ParseRequest("GET / HTTP/1.1\r\nHost: ab\r\n\r\n", limits).Status);
        RequestParse r = ParseRequest("GET / HTTP/1.1\r\nHost: abcdefghijk\r\n\r\n", limits);
        Assert.Equal((HttpParseStatus.Error, 431), (r.Status, r.StatusCode));
    }

    [Fact]
    public void TryParse_ContentLengthAtMaxBody_Accepted()
    {
        var limits = new HttpLimits { MaxBodyBytes = 10 };
        Assert.Equal(HttpParseStatus.Complete, ParseRequest("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\n", limits).Status);
        RequestParse r = ParseRequest("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 11\r\n\r\n", limits);
        Assert.Equal((HttpParseStatus.Error, 413), (r.Status, r.StatusCode));
    }
}
