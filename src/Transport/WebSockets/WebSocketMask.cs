using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace FastRealtime.Transport.WebSockets;

/// <summary>
/// The XOR masking of RFC 6455 §5.3. Masking and unmasking are the same operation.
/// </summary>
/// <remarks>
/// A mask key is passed as the 4 mask bytes in wire order read as a little-endian <see cref="uint"/>
/// (<c>MemoryMarshal.Read&lt;uint&gt;(maskBytes)</c> on the little-endian platforms .NET runs on), so byte
/// <c>i</c> of a payload is XORed with byte <c>(offset + i) % 4</c> of the key. Both methods return the offset
/// of the byte after <paramref name="data"/>, so a payload that arrives in pieces is unmasked piece by piece.
/// </remarks>
public static class WebSocketMask
{
    /// <summary>XORs <paramref name="data"/> in place with the mask, 64/32/16/8 bytes at a time where the hardware allows.</summary>
    /// <param name="offset">Position in the mask (0-3) of the first byte of <paramref name="data"/>.</param>
    /// <returns>The mask position (0-3) of the byte that follows <paramref name="data"/>.</returns>
    public static int Apply(Span<byte> data, uint maskKey, int offset)
    {
        offset &= 3;
        if (!BitConverter.IsLittleEndian)
        {
            return ApplyScalar(data, maskKey, offset);
        }

        // Rotate the key so its lowest byte lines up with data[0]; every block below starts at a multiple of 4.
        uint key = BitOperations.RotateRight(maskKey, offset * 8);
        ref byte start = ref MemoryMarshal.GetReference(data);
        nuint length = (nuint)data.Length;
        nuint i = 0;

        if (Vector512.IsHardwareAccelerated && length >= (nuint)Vector512<byte>.Count)
        {
            Vector512<byte> mask = Vector512.Create(key).AsByte();
            for (; i + (nuint)Vector512<byte>.Count <= length; i += (nuint)Vector512<byte>.Count)
            {
                (Vector512.LoadUnsafe(ref start, i) ^ mask).StoreUnsafe(ref start, i);
            }
        }

        if (Vector256.IsHardwareAccelerated && length - i >= (nuint)Vector256<byte>.Count)
        {
            Vector256<byte> mask = Vector256.Create(key).AsByte();
            for (; i + (nuint)Vector256<byte>.Count <= length; i += (nuint)Vector256<byte>.Count)
            {
                (Vector256.LoadUnsafe(ref start, i) ^ mask).StoreUnsafe(ref start, i);
            }
        }

        if (Vector128.IsHardwareAccelerated && length - i >= (nuint)Vector128<byte>.Count)
        {
            Vector128<byte> mask = Vector128.Create(key).AsByte();
            for (; i + (nuint)Vector128<byte>.Count <= length; i += (nuint)Vector128<byte>.Count)
            {
                (Vector128.LoadUnsafe(ref start, i) ^ mask).StoreUnsafe(ref start, i);
            }
        }

        ulong key64 = key | ((ulong)key << 32);
        for (; i + sizeof(ulong) <= length; i += sizeof(ulong))
        {
            ref byte at = ref Unsafe.Add(ref start, i);
            Unsafe.WriteUnaligned(ref at, Unsafe.ReadUnaligned<ulong>(ref at) ^ key64);
        }

        for (; i < length; i++)
        {
            Unsafe.Add(ref start, i) ^= (byte)(key >> (int)((i & 3) * 8));
        }

        return (int)((offset + data.Length) & 3);
    }

    /// <summary>One byte at a time: the reference the vectorized path is tested and benchmarked against.</summary>
    internal static int ApplyScalar(Span<byte> data, uint maskKey, int offset)
    {
        offset &= 3;
        for (int i = 0; i < data.Length; i++)
        {
            data[i] ^= (byte)(maskKey >> (((offset + i) & 3) * 8));
        }

        return (offset + data.Length) & 3;
    }
}
