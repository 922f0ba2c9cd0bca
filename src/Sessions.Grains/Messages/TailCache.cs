using Sessions.Abstractions;

namespace Sessions.Grains;

/// <summary>
/// The newest messages of one session, contiguous in <c>seq</c> and always ending at the session's
/// <c>last_seq</c>, so a read of the tail is answered without the database. Because seq is gapless,
/// the message with seq <c>s</c> sits at a fixed offset from <see cref="FirstSeq"/>: lookups are index arithmetic.
/// Each message is kept with its JSON, written once when it enters, so pages of the tail are answered by copying bytes.
/// </summary>
internal sealed class TailCache
{
    private readonly CachedMessage[] _ring;
    private readonly Dictionary<string, CachedMessage> _byClientMessageId = new(StringComparer.Ordinal);
    private int _start;

    public TailCache(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _ring = new CachedMessage[capacity];
    }

    public int Count { get; private set; }

    /// <summary>The seq of the newest message held (the session's last_seq); 0 for an empty session.</summary>
    public long LastSeq { get; private set; }

    /// <summary>The seq of the oldest message held; <see cref="LastSeq"/> + 1 when nothing is held.</summary>
    public long FirstSeq => LastSeq - Count + 1;

    /// <summary>Replaces the contents with <paramref name="newest"/> (ascending, contiguous, ending at <paramref name="lastSeq"/>).</summary>
    public void Reset(IReadOnlyList<ChatMessage> newest, long lastSeq)
    {
        Array.Clear(_ring);
        _byClientMessageId.Clear();
        _start = 0;
        Count = 0;
        var kept = newest.Skip(Math.Max(0, newest.Count - _ring.Length)).ToList();
        LastSeq = kept.Count == 0 ? lastSeq : kept[0].Seq - 1;
        foreach (var message in kept)
        {
            Add(message);
        }

        if (LastSeq != lastSeq)
        {
            throw new InvalidOperationException($"The newest messages end at seq {LastSeq}, not at the session's last_seq {lastSeq}.");
        }
    }

    /// <summary>Adds the message that extends the log by one, and returns it as held (with its JSON at hand).</summary>
    public CachedMessage Add(ChatMessage message)
    {
        if (message.Seq != LastSeq + 1)
        {
            throw new InvalidOperationException($"The tail cache ends at seq {LastSeq}; it cannot take seq {message.Seq}.");
        }

        var added = new CachedMessage(message);
        if (Count == _ring.Length)
        {
            var evicted = _ring[_start].Message;
            if (evicted.ClientMessageId is { } evictedId)
            {
                _byClientMessageId.Remove(evictedId);
            }

            _ring[_start] = added;
            _start = (_start + 1) % _ring.Length;
        }
        else
        {
            _ring[(_start + Count) % _ring.Length] = added;
            Count++;
        }

        if (message.ClientMessageId is { } clientMessageId)
        {
            _byClientMessageId[clientMessageId] = added;
        }

        LastSeq = message.Seq;
        return added;
    }

    /// <summary>The held message that carried <paramref name="clientMessageId"/>, with its JSON (a replay answers with it).</summary>
    public bool TryFindByClientMessageId(string clientMessageId, out CachedMessage message) =>
        _byClientMessageId.TryGetValue(clientMessageId, out message!);

    /// <summary>True when every seq in [<paramref name="from"/>, <paramref name="to"/>] is held (an empty range always is).</summary>
    public bool Covers(long from, long to) => from > to || (from >= FirstSeq && to <= LastSeq);

    /// <summary>The messages with seq in [<paramref name="from"/>, <paramref name="to"/>], which must be covered.</summary>
    public List<CachedMessage> Range(long from, long to)
    {
        var result = new List<CachedMessage>((int)Math.Max(0, to - from + 1));
        for (var seq = from; seq <= to; seq++)
        {
            result.Add(_ring[(_start + (int)(seq - FirstSeq)) % _ring.Length]);
        }

        return result;
    }
}
