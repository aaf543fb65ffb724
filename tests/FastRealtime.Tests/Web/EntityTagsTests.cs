using FastRealtime.Chat.Web;

namespace FastRealtime.Tests.Web;

/// <summary>If-None-Match against the ETag "abc" (RFC 9110 §13.1.2: weak comparison, list syntax, "*").</summary>
public sealed class EntityTagsTests
{
    [Theory]
    [InlineData("\"abc\"")]
    [InlineData("W/\"abc\"")] // weak comparison ignores the W/ prefix
    [InlineData("\"x\", \"abc\"")]
    [InlineData("\"x\",\t W/\"abc\" ")]
    [InlineData("*")]
    public void IfNoneMatch_Matching_True(string header) => Assert.True(EntityTags.IfNoneMatch(header, "\"abc\""));

    [Theory]
    [InlineData("")]
    [InlineData("\"abd\"")]
    [InlineData("\"ABC\"")] // opaque tags are case-sensitive
    [InlineData("abc")] // unquoted is not the same tag
    [InlineData("\"abc")]
    [InlineData("\"x\", \"y\"")]
    [InlineData("W/\"x\", ,")]
    public void IfNoneMatch_NotMatching_False(string header) => Assert.False(EntityTags.IfNoneMatch(header, "\"abc\""));

    [Fact]
    public void IfNoneMatch_OurTagWeak_StillMatchesStrongCandidate() => Assert.True(EntityTags.IfNoneMatch("\"abc\"", "W/\"abc\""));
}
