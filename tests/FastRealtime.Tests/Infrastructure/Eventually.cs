namespace FastRealtime.Tests.Infrastructure;

/// <summary>
/// Waits for a condition that has no event to await (a counter on the server, a count of open descriptors):
/// checks it often, and gives up only at an upper bound, which is never a timing assertion.
/// </summary>
public static class Eventually
{
    public static async Task<bool> TrueAsync(Func<bool> condition, TimeSpan bound)
    {
        var deadline = DateTime.UtcNow + bound;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) return condition();
            await Task.Delay(10);
        }
        return true;
    }

    public static async Task AssertAsync(Func<bool> condition, TimeSpan bound, Func<string> describe)
    {
        if (!await TrueAsync(condition, bound)) Assert.Fail(describe());
    }
}
