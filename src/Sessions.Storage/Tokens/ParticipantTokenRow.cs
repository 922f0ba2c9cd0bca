namespace Sessions.Storage.Tokens;

/// <summary>A token as stored: everything about it but its value, which is never stored.</summary>
public sealed record ParticipantTokenRow(
    string Id,
    string ParticipantId,
    DateTimeOffset CreatedAt,
    DateTimeOffset? ExpiresAt,
    DateTimeOffset? RevokedAt);
