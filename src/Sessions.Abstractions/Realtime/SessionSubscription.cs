namespace Sessions.Abstractions;

/// <summary>
/// The answer to <see cref="IChatSessionGrain.SubscribeAsync"/>: where the session's log ends now. Everything after
/// <see cref="LastSeq"/> reaches the observer as events; everything up to it is in the log.
/// </summary>
[GenerateSerializer, Immutable, Alias("Sessions.SessionSubscription")]
public sealed record SessionSubscription(
    [property: Id(0)] long LastSeq,
    [property: Id(1)] SessionStatus Status);
