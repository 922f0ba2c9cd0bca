using Sessions.Abstractions;

namespace Sessions.Gateway.Realtime;

/// <summary>
/// One connection's subscription to a participant's inbox (<c>inbox:{participant_id}</c>): a snapshot, then deltas in
/// version order. What the feed offers before the snapshot is written waits in <see cref="Pending"/>; a delta not
/// newer than what the client has is dropped; a resync replaces everything with a newer snapshot.
/// </summary>
internal sealed class InboxTopic(string participantId, RealtimeConnection connection) : IInboxSink
{
    public const string Prefix = "inbox:";

    public string ParticipantId { get; } = participantId;

    public string Name { get; } = Prefix + participantId;

    /// <summary>The version of the newest snapshot or delta written to the client.</summary>
    public long LastVersion { get; set; } = -1;

    public bool Started { get; set; }

    public List<Outgoing> Pending { get; } = [];

    public volatile bool Ended;

    public void OnDelta(InboxDelta delta) => connection.Enqueue(new InboxChange(this, delta));

    public void OnResync(InboxSnapshot snapshot) => connection.Enqueue(new InboxSnapshotOut(this, snapshot, null));
}
