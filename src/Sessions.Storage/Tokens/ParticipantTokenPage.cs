namespace Sessions.Storage.Tokens;

/// <summary>A participant's tokens by ascending id (oldest first); <see cref="NextCursor"/> fetches the next page, null at the end.</summary>
public sealed record ParticipantTokenPage(IReadOnlyList<ParticipantTokenRow> Tokens, string? NextCursor);
