namespace Sessions.Abstractions;

/// <summary>Whether a member of a session is online in it: seen (a heartbeat, WebSocket activity, typing) within the presence timeout.</summary>
[GenerateSerializer, Immutable, Alias("Sessions.PresenceEntry")]
public sealed record PresenceEntry(
    [property: Id(0)] string ParticipantId,
    [property: Id(1)] bool Online,
    [property: Id(2)] DateTimeOffset? LastSeenAt);
