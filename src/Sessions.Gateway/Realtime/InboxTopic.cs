using Sessions.Abstractions;

namespace Sessions.Gateway.Realtime;

/// <summary>
/// One connection's subscription to a participant's inbox (<c>inbox:{participant_id}</c>): a snapshot, then deltas.
/// What the feed offers before the snapshot is written waits in <see cref="Pending"/>; a delta not newer than what the
/// client has about its session is dropped (<see cref="Accept"/>); a resync replaces everything with a newer snapshot.
/// Used by the connection's writer only.
/// </summary>
internal sealed class InboxTopic(string participantId, RealtimeConnection connection) : IInboxSink
{
    public const string Prefix = "inbox:";

    public string ParticipantId { get; } = participantId;

    public string Name { get; } = Prefix + participantId;

    private readonly Dictionary<string, long> _entryVersions = new(StringComparer.Ordinal);
    private long _snapshotVersion = -1;

    /// <summary>The version of the newest snapshot or delta written to the client.</summary>
    public long LastVersion { get; private set; } = -1;

    public bool Started { get; set; }

    public List<Outgoing> Pending { get; } = [];

    public volatile bool Ended;

    public void OnDelta(InboxDelta delta) => connection.Enqueue(new InboxChange(this, delta));

    /// <summary>
    /// Whether <paramref name="delta"/> is news to the client: newer than its snapshot and than the last delta it got
    /// about the same session. The check is per session because one-way calls may arrive out of order (Orleans does not
    /// order them): a delta about one session must not hide an older-numbered one about another.
    /// </summary>
    public bool Accept(InboxDelta delta)
    {
        var sessionId = delta.Entry.SessionId;
        if (delta.Version <= _snapshotVersion || (_entryVersions.TryGetValue(sessionId, out var had) && delta.Version <= had))
        {
            return false;
        }

        _entryVersions[sessionId] = delta.Version;
        LastVersion = Math.Max(LastVersion, delta.Version);
        return true;
    }

    /// <summary>A snapshot of <paramref name="version"/> went to the client: it has everything up to there.</summary>
    public void SnapshotWritten(long version)
    {
        _snapshotVersion = version;
        LastVersion = version;
        _entryVersions.Clear();
    }

    public void OnResync(InboxSnapshot snapshot, bool repair) => connection.Enqueue(new InboxSnapshotOut(this, snapshot, null, repair));
}
