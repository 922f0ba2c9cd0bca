using Sessions.Abstractions;

namespace Sessions.Grains;

/// <summary>
/// The entries of one inbox by session, and in inbox order (<see cref="InboxPosition"/>) for paging. The order is
/// rebuilt only when a read follows a change, so a burst of notices costs one sort; a page is then a binary search.
/// </summary>
internal sealed class InboxEntries
{
    private readonly Dictionary<string, InboxItem> _bySession = new(StringComparer.Ordinal);
    private InboxEntry[]? _ordered;

    public int Count => _bySession.Count;

    public InboxItem? Find(string sessionId) => _bySession.GetValueOrDefault(sessionId);

    public void Reset(IEnumerable<InboxItem> items)
    {
        _bySession.Clear();
        foreach (var item in items)
        {
            _bySession[item.Entry.SessionId] = item;
        }

        _ordered = null;
    }

    /// <summary>Stores <paramref name="item"/>; true when what a reader sees of the session changed.</summary>
    public bool Set(InboxItem item)
    {
        var changed = !_bySession.TryGetValue(item.Entry.SessionId, out var previous) || previous.Entry != item.Entry;
        _bySession[item.Entry.SessionId] = item;
        if (changed)
        {
            _ordered = null;
        }

        return changed;
    }

    /// <summary>Up to <paramref name="limit"/> entries in inbox order after <paramref name="after"/> (from the top when null), and whether more follow.</summary>
    public (IReadOnlyList<InboxEntry> Entries, bool More) Page(InboxPosition? after, int limit)
    {
        var ordered = _ordered ??= Sort();
        var start = after is { } position ? FirstAfter(ordered, position) : 0;
        var count = Math.Min(limit, ordered.Length - start);
        return (ordered.AsSpan(start, count).ToArray(), start + count < ordered.Length);
    }

    private InboxEntry[] Sort()
    {
        var entries = _bySession.Values.Select(item => item.Entry).ToArray();
        Array.Sort(entries, (a, b) => InboxPosition.Compare(InboxPosition.Of(a), InboxPosition.Of(b)));
        return entries;
    }

    private static int FirstAfter(InboxEntry[] ordered, InboxPosition position)
    {
        int low = 0, high = ordered.Length;
        while (low < high)
        {
            var middle = low + ((high - low) / 2);
            if (InboxPosition.Compare(InboxPosition.Of(ordered[middle]), position) <= 0)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }

        return low;
    }
}
