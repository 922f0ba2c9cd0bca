using Sessions.Abstractions;

namespace Sessions.Grains;

/// <summary>
/// Where an entry sits in an inbox: by last activity, newest first, then by session id (ordinal), highest first — the
/// order of the session listing, so ties come out the same way everywhere.
/// </summary>
internal readonly record struct InboxPosition(DateTimeOffset LastActivityAt, string SessionId)
{
    public static readonly IComparer<InboxPosition> Order = Comparer<InboxPosition>.Create(Compare);

    public static InboxPosition Of(InboxEntry entry) => new(entry.LastActivityAt, entry.SessionId);

    /// <summary>Negative when <paramref name="a"/> comes before <paramref name="b"/> in the inbox.</summary>
    public static int Compare(InboxPosition a, InboxPosition b)
    {
        var byTime = b.LastActivityAt.UtcTicks.CompareTo(a.LastActivityAt.UtcTicks);
        return byTime != 0 ? byTime : string.CompareOrdinal(b.SessionId, a.SessionId);
    }
}
