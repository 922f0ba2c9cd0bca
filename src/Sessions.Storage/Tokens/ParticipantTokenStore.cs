using Npgsql;
using Sessions.Storage.Internal;
using Sessions.Storage.Paging;
using Sessions.Storage.Participants;

namespace Sessions.Storage.Tokens;

/// <summary>
/// The <c>participant_tokens</c> table. The store never sees a token, only its SHA-256: the caller hashes, so a token
/// cannot reach a statement, a log of one, or an exception message from here.
/// </summary>
public sealed class ParticipantTokenStore(NpgsqlDataSource dataSource)
{
    private const string Columns = "id, participant_id, created_at, expires_at, revoked_at";

    /// <summary>Stores a token of <paramref name="participantId"/>; null (and nothing written) when there is no such participant.</summary>
    public async Task<ParticipantTokenRow?> CreateAsync(string id, string participantId, byte[] tokenHash, DateTimeOffset? expiresAt, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand($"""
            insert into participant_tokens (id, participant_id, token_hash, expires_at)
            select $1, p.id, $3, $4 from participants p where p.id = $2
            returning {Columns}
            """);
        command.Parameters.Add(Param.Text(id));
        command.Parameters.Add(Param.Text(participantId));
        command.Parameters.Add(Param.Bytea(tokenHash));
        command.Parameters.Add(Param.TimestampTz(expiresAt));
        await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        return await reader.ReadAsync(ct).ConfigureAwait(false) ? Read(reader) : null;
    }

    /// <summary>The token whose SHA-256 is <paramref name="tokenHash"/>, revoked and expired ones included; null when none is.</summary>
    public async Task<TokenHolder?> FindByHashAsync(byte[] tokenHash, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand("""
            select t.id, t.participant_id, p.kind, t.expires_at, t.revoked_at
            from participant_tokens t join participants p on p.id = t.participant_id
            where t.token_hash = $1
            """);
        command.Parameters.Add(Param.Bytea(tokenHash));
        await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        if (!await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            return null;
        }

        return new TokenHolder(
            reader.GetString(0),
            reader.GetString(1),
            ParticipantKindColumn.Parse(reader.GetString(2)),
            reader.IsDBNull(3) ? null : reader.GetFieldValue<DateTimeOffset>(3),
            reader.IsDBNull(4) ? null : reader.GetFieldValue<DateTimeOffset>(4));
    }

    /// <summary>A page of the participant's tokens by ascending id, after <paramref name="cursor"/> (null: the first page).</summary>
    /// <exception cref="InvalidCursorException">The cursor was not issued by a token listing.</exception>
    public async Task<ParticipantTokenPage> ListAsync(string participantId, int limit, string? cursor, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        var afterId = cursor is null ? "" : KeysetCursor.ToId(cursor);

        // One row more than asked tells whether another page follows.
        await using var command = dataSource.CreateCommand(
            $"select {Columns} from participant_tokens where participant_id = $1 and id > $2 order by id limit $3");
        command.Parameters.Add(Param.Text(participantId));
        command.Parameters.Add(Param.Text(afterId));
        command.Parameters.Add(Param.Bigint(limit + 1L));
        await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        var tokens = new List<ParticipantTokenRow>(Math.Min(limit, 1000) + 1);
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            tokens.Add(Read(reader));
        }

        if (tokens.Count <= limit)
        {
            return new ParticipantTokenPage(tokens, null);
        }

        tokens.RemoveAt(limit);
        return new ParticipantTokenPage(tokens, KeysetCursor.FromId(tokens[^1].Id));
    }

    /// <summary>
    /// Revokes token <paramref name="tokenId"/> of <paramref name="participantId"/>. Revoking twice keeps the first time.
    /// Returns the revoked token, or null when the participant has no such token.
    /// </summary>
    public async Task<ParticipantTokenRow?> RevokeAsync(string participantId, string tokenId, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand($"""
            update participant_tokens set revoked_at = coalesce(revoked_at, now())
            where participant_id = $1 and id = $2
            returning {Columns}
            """);
        command.Parameters.Add(Param.Text(participantId));
        command.Parameters.Add(Param.Text(tokenId));
        await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        return await reader.ReadAsync(ct).ConfigureAwait(false) ? Read(reader) : null;
    }

    /// <summary>
    /// Those of <paramref name="tokenIds"/> that can no longer be used at <paramref name="now"/> (revoked, expired, or
    /// gone), with the reason; one statement for every token an open connection holds.
    /// </summary>
    public async Task<IReadOnlyList<UnusableToken>> FindUnusableAsync(IReadOnlyCollection<string> tokenIds, DateTimeOffset now, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(tokenIds);
        if (tokenIds.Count == 0)
        {
            return [];
        }

        await using var command = dataSource.CreateCommand("""
            select wanted.id,
                   case when t.id is null then 'gone' when t.revoked_at is not null then 'revoked' else 'expired' end
            from unnest($1::text[]) as wanted (id)
            left join participant_tokens t on t.id = wanted.id
            where t.id is null or t.revoked_at is not null or t.expires_at <= $2
            """);
        command.Parameters.Add(Param.TextArray(tokenIds.Distinct(StringComparer.Ordinal).ToArray()));
        command.Parameters.Add(Param.TimestampTz(now));
        await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        var unusable = new List<UnusableToken>();
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            var reason = reader.GetString(1) switch
            {
                "gone" => TokenUnusableReason.Gone,
                "revoked" => TokenUnusableReason.Revoked,
                _ => TokenUnusableReason.Expired,
            };
            unusable.Add(new UnusableToken(reader.GetString(0), reason));
        }

        return unusable;
    }

    private static ParticipantTokenRow Read(NpgsqlDataReader reader) => new(
        reader.GetString(0),
        reader.GetString(1),
        reader.GetFieldValue<DateTimeOffset>(2),
        reader.IsDBNull(3) ? null : reader.GetFieldValue<DateTimeOffset>(3),
        reader.IsDBNull(4) ? null : reader.GetFieldValue<DateTimeOffset>(4));
}
