using System.Security.Cryptography;

namespace FastRealtime.Chat.History;

/// <summary>
/// Message ids that sort (ordinal string compare) in sending order, across restarts and across nodes: 21 characters of
/// Crockford base32 (<c>0-9A-Z</c> without I, L, O, U, which is ascending in ASCII), made of
/// <list type="bullet">
/// <item>13 characters: a 64-bit hybrid clock, Unix milliseconds in the high 48 bits and a 16-bit counter in the low 16.
/// Within one process it only ever grows, even when the wall clock steps back (the counter then carries on from the
/// last value, borrowing future milliseconds if it overflows), so one process's ids sort exactly in issue order;</item>
/// <item>8 characters: 40 random bits drawn once per process (a generator), which keeps ids of different nodes, or of a
/// restarted node within the same millisecond, distinct.</item>
/// </list>
/// Across nodes the order is the order of their clocks, as good as their clock synchronisation.
/// </summary>
/// <remarks>Thread-safe; one lock-free compare-and-swap and the id string itself per id.</remarks>
public sealed class ChatMessageId
{
    /// <summary>Characters in every id.</summary>
    public const int Length = ClockChars + NodeChars;

    private const int ClockChars = 13;
    private const int NodeChars = 8;
    private const int CounterBits = 16;
    private const string Alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

    private static readonly ChatMessageId Shared = new();

    private readonly TimeProvider _time;
    private readonly long _node;
    private ulong _lastClock;

    /// <summary>A generator with its own random node part, reading <paramref name="time"/> (default: the system clock).</summary>
    public ChatMessageId(TimeProvider? time = null)
        : this(time, RandomNode())
    {
    }

    /// <summary>A generator with a chosen node part (its low 40 bits); for tests and for nodes that assign their own.</summary>
    public ChatMessageId(TimeProvider? time, long node)
    {
        _time = time ?? TimeProvider.System;
        _node = node & ((1L << (NodeChars * 5)) - 1);
    }

    /// <summary>A new id from the process-wide generator.</summary>
    public static string New() => Shared.Next();

    /// <summary>A new id, greater (ordinal) than every id this generator issued before.</summary>
    public string Next()
    {
        ulong clock = NextClock();
        return string.Create(Length, (clock, node: (ulong)_node), static (chars, state) =>
        {
            Encode(state.clock, chars[..ClockChars]);
            Encode(state.node, chars[ClockChars..]);
        });
    }

    /// <summary>Whether <paramref name="id"/> has the shape of an id (length and alphabet): cheap input validation for cursors.</summary>
    public static bool IsWellFormed(ReadOnlySpan<char> id)
    {
        if (id.Length != Length) return false;
        foreach (char c in id)
        {
            if (Alphabet.IndexOf(c) < 0) return false;
        }
        // 13 characters hold 65 bits; the first one carries only the top 4 of the 64-bit clock.
        return Alphabet.IndexOf(id[0]) < 16;
    }

    /// <summary>The millisecond the id was issued at (by its node's clock), or null when it is not well formed.</summary>
    public static DateTimeOffset? GetTimestamp(ReadOnlySpan<char> id)
    {
        if (!IsWellFormed(id)) return null;
        ulong clock = 0;
        foreach (char c in id[..ClockChars])
        {
            clock = (clock << 5) | (uint)Alphabet.IndexOf(c);
        }
        return DateTimeOffset.FromUnixTimeMilliseconds((long)(clock >> CounterBits));
    }

    // The clock never goes backwards: max(wall clock, last + 1). A 16-bit counter overflowing simply carries into the
    // millisecond bits, which keeps the order at the price of running slightly ahead of the wall clock.
    // Unsigned: 48 bits of milliseconds shifted left by 16 reach the sign bit after the year 6429.
    private ulong NextClock()
    {
        ulong now = (ulong)_time.GetUtcNow().ToUnixTimeMilliseconds() << CounterBits;
        while (true)
        {
            ulong last = Volatile.Read(ref _lastClock);
            ulong next = now > last ? now : last + 1;
            if (Interlocked.CompareExchange(ref _lastClock, next, last) == last) return next;
        }
    }

    private static void Encode(ulong value, Span<char> destination)
    {
        for (int i = destination.Length - 1; i >= 0; i--)
        {
            destination[i] = Alphabet[(int)(value & 31)];
            value >>= 5;
        }
    }

    private static long RandomNode()
    {
        Span<byte> bytes = stackalloc byte[8];
        RandomNumberGenerator.Fill(bytes);
        return BitConverter.ToInt64(bytes);
    }
}
