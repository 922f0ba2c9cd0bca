namespace Sessions.Abstractions;

/// <summary>
/// An inbox at <see cref="Version"/>, as a subscription starts: its newest entries, as many as
/// <c>Sessions:Inbox:SnapshotSize</c> (200 by default), with <see cref="NextCursor"/> for
/// <see cref="IInboxGrain.ListAsync"/> when there are more. Deltas with a higher version follow.
/// </summary>
[GenerateSerializer, Immutable, Alias("Sessions.InboxSnapshot")]
public sealed record InboxSnapshot(
    [property: Id(0)] string ParticipantId,
    [property: Id(1)] long Version,
    [property: Id(2)] IReadOnlyList<InboxEntry> Sessions,
    [property: Id(3)] string? NextCursor);
