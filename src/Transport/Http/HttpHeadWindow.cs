using System.Buffers;

namespace FastRealtime.Transport.Http;

/// <summary>
/// The part of a received buffer that may hold a message head, as one contiguous span: at most
/// <c>maxHeadBytes</c>, so no parse ever scans past the limit. A multi-segment buffer is copied once into a
/// pooled array (heads are small and parsed once per connection or request, not per message).
/// </summary>
internal ref struct HttpHeadWindow
{
    private byte[]? _rented;

    public HttpHeadWindow(in ReadOnlySequence<byte> buffer, int maxHeadBytes)
    {
        LimitReached = buffer.Length > maxHeadBytes;
        ReadOnlySequence<byte> window = LimitReached ? buffer.Slice(0, maxHeadBytes) : buffer;
        if (window.IsSingleSegment)
        {
            Span = window.FirstSpan;
        }
        else
        {
            int length = (int)window.Length;
            _rented = ArrayPool<byte>.Shared.Rent(length);
            window.CopyTo(_rented);
            Span = _rented.AsSpan(0, length);
        }
    }

    /// <summary>Up to the limit of the received bytes.</summary>
    public ReadOnlySpan<byte> Span { get; }

    /// <summary>True when more bytes were received than a head may have: a head that has not ended within
    /// <see cref="Span"/> can never become valid.</summary>
    public bool LimitReached { get; }

    public void Dispose()
    {
        if (_rented is not null)
        {
            ArrayPool<byte>.Shared.Return(_rented);
            _rented = null;
        }
    }
}
