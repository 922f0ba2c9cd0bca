using Sessions.Storage.Tokens;

namespace Sessions.Grains;

/// <summary>A stored token as the contract shows it: its status is judged at <c>now</c>, since an expiry is not stored as a status.</summary>
internal static class TokenRows
{
    public static ParticipantToken ToToken(this ParticipantTokenRow row, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(row);
        var status = row.RevokedAt is not null ? TokenStatus.Revoked
            : row.ExpiresAt <= now ? TokenStatus.Expired
            : TokenStatus.Active;
        return new ParticipantToken(row.Id, row.ParticipantId, status, row.CreatedAt, row.ExpiresAt, row.RevokedAt);
    }
}
