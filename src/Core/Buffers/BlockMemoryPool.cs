using System.Buffers;
using System.Collections.Concurrent;

namespace FastRealtime.Core.Buffers;

/// <summary>
/// A bounded pool of fixed-size pinned blocks for the receive pipes.
/// </summary>
/// <remarks>
/// Written by hand because <see cref="MemoryPool{T}.Shared"/> allocates a new owner object on every rent,
/// which would allocate per received message; this pool recycles its owners. Blocks are pinned once
/// (pinned object heap) so socket I/O never pins per call. At most <see cref="MaxRetainedBlocks"/> idle
/// blocks are kept; more returns go to the GC, so a burst never leaves memory behind for good.
/// </remarks>
public sealed class BlockMemoryPool : MemoryPool<byte>
{
    public const int DefaultBlockSize = 4096;

    private readonly ConcurrentQueue<Block> _blocks = new();
    private int _retained;

    public BlockMemoryPool(int blockSize = DefaultBlockSize, int maxRetainedBlocks = 16 * 1024)
    {
        BlockSize = blockSize;
        MaxRetainedBlocks = maxRetainedBlocks;
    }

    public static new BlockMemoryPool Shared { get; } = new();

    public int BlockSize { get; }

    public int MaxRetainedBlocks { get; }

    public override int MaxBufferSize => BlockSize;

    public override IMemoryOwner<byte> Rent(int minBufferSize = -1)
    {
        if (minBufferSize > BlockSize)
            return new OversizedOwner(minBufferSize);
        if (_blocks.TryDequeue(out var block))
        {
            Interlocked.Decrement(ref _retained);
            return block;
        }
        return new Block(this, GC.AllocateUninitializedArray<byte>(BlockSize, pinned: true));
    }

    private void Return(Block block)
    {
        if (Interlocked.Increment(ref _retained) <= MaxRetainedBlocks)
            _blocks.Enqueue(block);
        else
            Interlocked.Decrement(ref _retained);
    }

    protected override void Dispose(bool disposing) => _blocks.Clear();

    private sealed class Block(BlockMemoryPool pool, byte[] array) : IMemoryOwner<byte>
    {
        public Memory<byte> Memory { get; } = array;

        public void Dispose() => pool.Return(this);
    }

    private sealed class OversizedOwner(int size) : IMemoryOwner<byte>
    {
        private byte[]? _array = ArrayPool<byte>.Shared.Rent(size);

        public Memory<byte> Memory => _array ?? throw new ObjectDisposedException(nameof(OversizedOwner));

        public void Dispose()
        {
            var array = Interlocked.Exchange(ref _array, null);
            if (array is not null) ArrayPool<byte>.Shared.Return(array);
        }
    }
}
