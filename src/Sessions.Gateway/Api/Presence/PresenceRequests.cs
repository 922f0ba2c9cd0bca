using Sessions.Abstractions;

namespace Sessions.Gateway.Api.Presence;

/// <summary>The body of <c>POST /api/sessions/{id}/typing</c>.</summary>
public sealed class TypingRequest
{
    public string? ParticipantId { get; init; }

    /// <summary>True when the participant started typing, false when it stopped.</summary>
    public bool? Typing { get; init; }
}

/// <summary>The body of <c>POST /api/sessions/{id}/presence</c>: a heartbeat.</summary>
public sealed class HeartbeatRequest
{
    public string? ParticipantId { get; init; }
}

/// <summary>The answer to a typing request: false when the event was dropped by the per-participant rate limit.</summary>
public sealed record TypingAccepted(bool Accepted);

/// <summary>The members of a session and whether each is online.</summary>
public sealed record PresenceList(IReadOnlyList<PresenceEntry> Participants);
