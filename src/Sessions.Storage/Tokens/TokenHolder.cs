using Sessions.Abstractions;

namespace Sessions.Storage.Tokens;

/// <summary>What a token hash stands for: the token and the participant it was issued to (with its kind).</summary>
public sealed record TokenHolder(
    string TokenId,
    string ParticipantId,
    ParticipantKind ParticipantKind,
    DateTimeOffset? ExpiresAt,
    DateTimeOffset? RevokedAt);
