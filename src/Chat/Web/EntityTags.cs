namespace FastRealtime.Chat.Web;

/// <summary>If-None-Match evaluation (RFC 9110 §13.1.2).</summary>
internal static class EntityTags
{
    /// <summary>True if the field value <paramref name="ifNoneMatch"/> is "*" or lists an entity tag that matches
    /// <paramref name="etag"/> by the WEAK comparison the RFC prescribes for If-None-Match (a W/ prefix on either
    /// side is ignored; the opaque quoted strings must be equal).</summary>
    public static bool IfNoneMatch(ReadOnlySpan<char> ifNoneMatch, ReadOnlySpan<char> etag)
    {
        ReadOnlySpan<char> current = Opaque(etag);
        foreach (Range range in ifNoneMatch.Split(','))
        {
            ReadOnlySpan<char> candidate = ifNoneMatch[range].Trim(" \t");
            if (candidate is "*") return true;
            if (!candidate.IsEmpty && Opaque(candidate).SequenceEqual(current)) return true;
        }
        return false;
    }

    private static ReadOnlySpan<char> Opaque(ReadOnlySpan<char> tag) => tag.StartsWith("W/") ? tag[2..] : tag;
}
