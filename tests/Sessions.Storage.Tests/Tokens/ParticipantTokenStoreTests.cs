using System.Security.Cryptography;
using Npgsql;
using Sessions.Abstractions;
using Sessions.Storage.Paging;
using Sessions.Storage.Tests.Support;
using Sessions.Storage.Tokens;

namespace Sessions.Storage.Tests.Tokens;

public sealed class ParticipantTokenStoreTests(StorageDatabase database) : IClassFixture<StorageDatabase>
{
    private readonly ParticipantTokenStore _store = new(database.DataSource);
    private readonly Seed _seed = new(database.DataSource);

    [Fact]
    public async Task A_token_is_found_by_its_hash_with_its_participant_and_kind()
    {
        var agent = await _seed.ParticipantAsync(ParticipantKind.Agent);
        var hash = NewHash();
        var expiresAt = new DateTimeOffset(2099, 1, 2, 3, 4, 5, TimeSpan.Zero);

        var created = await _store.CreateAsync(Seed.NewId("tok"), agent, hash, expiresAt, CancellationToken.None);
        var found = await _store.FindByHashAsync(hash, CancellationToken.None);

        Assert.NotNull(created);
        Assert.Equal(new TokenHolder(created.Id, agent, ParticipantKind.Agent, expiresAt, null), found);
        Assert.Null(await _store.FindByHashAsync(NewHash(), CancellationToken.None));
    }

    [Fact]
    public async Task A_token_of_an_unknown_participant_is_not_stored()
    {
        var id = Seed.NewId("tok");

        Assert.Null(await _store.CreateAsync(id, "nobody-" + id, NewHash(), null, CancellationToken.None));
        Assert.Equal(0L, await CountAsync($"select count(*) from participant_tokens where id = '{id}'"));
    }

    [Fact]
    public async Task Two_tokens_cannot_share_a_hash()
    {
        var alice = await _seed.ParticipantAsync();
        var hash = NewHash();
        await _store.CreateAsync(Seed.NewId("tok"), alice, hash, null, CancellationToken.None);

        await Assert.ThrowsAsync<PostgresException>(() => _store.CreateAsync(Seed.NewId("tok"), alice, hash, null, CancellationToken.None));
    }

    [Fact]
    public async Task Revoking_keeps_the_first_time_returns_the_token_and_is_null_for_another_participants_token()
    {
        var alice = await _seed.ParticipantAsync();
        var bob = await _seed.ParticipantAsync();
        var hash = NewHash();
        var token = (await _store.CreateAsync(Seed.NewId("tok"), alice, hash, null, CancellationToken.None))!;

        var revoked = await _store.RevokeAsync(alice, token.Id, CancellationToken.None);
        var first = (await _store.FindByHashAsync(hash, CancellationToken.None))!.RevokedAt;
        var again = await _store.RevokeAsync(alice, token.Id, CancellationToken.None);

        Assert.NotNull(first);
        Assert.Equal(token with { RevokedAt = first }, revoked);
        Assert.Equal(revoked, again);
        Assert.Equal(first, (await _store.FindByHashAsync(hash, CancellationToken.None))!.RevokedAt);
        Assert.Null(await _store.RevokeAsync(bob, token.Id, CancellationToken.None));
        Assert.Null(await _store.RevokeAsync(alice, "no-such-token", CancellationToken.None));
    }

    [Fact]
    public async Task A_participants_tokens_are_listed_by_id_a_page_at_a_time()
    {
        var alice = await _seed.ParticipantAsync();
        var other = await _seed.ParticipantAsync();
        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add((await _store.CreateAsync(Guid.CreateVersion7().ToString("N"), alice, NewHash(), null, CancellationToken.None))!.Id);
        }

        await _store.CreateAsync(Guid.CreateVersion7().ToString("N"), other, NewHash(), null, CancellationToken.None);

        var first = await _store.ListAsync(alice, 3, null, CancellationToken.None);
        var second = await _store.ListAsync(alice, 3, first.NextCursor, CancellationToken.None);

        Assert.Equal(ids, first.Tokens.Concat(second.Tokens).Select(t => t.Id));
        Assert.Null(second.NextCursor);
        await Assert.ThrowsAsync<InvalidCursorException>(() => _store.ListAsync(alice, 3, "not-a-cursor!", CancellationToken.None));
    }

    [Fact]
    public async Task The_unusable_ones_of_a_set_of_tokens_are_found_with_the_reason()
    {
        var alice = await _seed.ParticipantAsync();
        var now = DateTimeOffset.UtcNow;
        var valid = (await _store.CreateAsync(Seed.NewId("tok"), alice, NewHash(), now.AddHours(1), CancellationToken.None))!;
        var revoked = (await _store.CreateAsync(Seed.NewId("tok"), alice, NewHash(), null, CancellationToken.None))!;
        var expired = (await _store.CreateAsync(Seed.NewId("tok"), alice, NewHash(), now.AddHours(1), CancellationToken.None))!;
        await _store.RevokeAsync(alice, revoked.Id, CancellationToken.None);

        var unusable = await _store.FindUnusableAsync([valid.Id, revoked.Id, expired.Id, "gone-token", revoked.Id], now.AddHours(2).AddMinutes(-30), CancellationToken.None);

        Assert.Equal(
            new[] { new UnusableToken("gone-token", TokenUnusableReason.Gone), new UnusableToken(revoked.Id, TokenUnusableReason.Revoked), new UnusableToken(expired.Id, TokenUnusableReason.Expired), new UnusableToken(valid.Id, TokenUnusableReason.Expired) }
                .OrderBy(t => t.TokenId, StringComparer.Ordinal),
            unusable.OrderBy(t => t.TokenId, StringComparer.Ordinal));
        Assert.Equal([new UnusableToken(revoked.Id, TokenUnusableReason.Revoked)], await _store.FindUnusableAsync([valid.Id, revoked.Id, expired.Id], now, CancellationToken.None));
        Assert.Empty(await _store.FindUnusableAsync([], now, CancellationToken.None));
    }

    private static byte[] NewHash() => SHA256.HashData(Guid.NewGuid().ToByteArray());

    private async Task<long> CountAsync(string sql)
    {
        await using var command = database.DataSource.CreateCommand(sql);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
