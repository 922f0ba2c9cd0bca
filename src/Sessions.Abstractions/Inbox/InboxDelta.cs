namespace Sessions.Abstractions;

/// <summary>
/// One changed inbox entry, as it is now. <see cref="Version"/> grows with every change of the inbox (also across
/// reactivations: it starts from the activation's clock), so a receiver can drop deltas older than its snapshot.
/// </summary>
[GenerateSerializer, Immutable, Alias("Sessions.InboxDelta")]
public sealed record InboxDelta(
    [property: Id(0)] string ParticipantId,
    [property: Id(1)] long Version,
    [property: Id(2)] InboxEntry Entry);
