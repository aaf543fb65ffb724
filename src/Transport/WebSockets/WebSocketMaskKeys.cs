using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace FastRealtime.Transport.WebSockets;

/// <summary>
/// Mask keys for frames a client sends. RFC 6455 §10.3 asks for keys an attacker cannot predict, so they come
/// from the OS CSPRNG; a per-thread batch keeps that to one RandomNumberGenerator call per 256 keys.
/// </summary>
/// <remarks>Thread-safe: each thread draws from its own batch. Allocates once per thread, never per key.</remarks>
public static class WebSocketMaskKeys
{
    private const int KeysPerBatch = 256;

    [ThreadStatic]
    private static uint[]? t_batch;

    [ThreadStatic]
    private static int t_next;

    /// <summary>A fresh, unpredictable mask key in the layout <see cref="WebSocketMask"/> expects.</summary>
    public static uint Next()
    {
        uint[]? batch = t_batch;
        int next = t_next;
        if (batch is null || next >= batch.Length)
        {
            batch = Refill();
            next = 0;
        }

        t_next = next + 1;
        return batch[next];
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static uint[] Refill()
    {
        uint[] batch = t_batch ??= new uint[KeysPerBatch];
        RandomNumberGenerator.Fill(MemoryMarshal.AsBytes(batch.AsSpan()));
        return batch;
    }
}
