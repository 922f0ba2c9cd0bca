namespace Sessions.Grains.Tests.Tokens;

/// <summary>A participant's bearer tokens through its grain: issued once in their shape and stored hashed, listed with a status judged now, revoked.</summary>
public sealed class ParticipantTokensTests(FakeClockSiloFixture fixture) : IClassFixture<FakeClockSiloFixture>
{
    private ITokenLookupGrain Lookup => fixture.Silo.Grains.GetGrain<ITokenLookupGrain>(0);

    [Fact]
    public async Task Issuing_answers_the_token_once_in_its_shape_and_stores_only_its_hash()
    {
        var (id, grain) = await NewParticipantAsync();

        var issued = await grain.IssueTokenAsync(new IssueTokenCommand());

        Assert.True(ParticipantTokens.IsWellFormed(issued.Token));
        Assert.Equal((id, (DateTimeOffset?)null), (issued.ParticipantId, issued.ExpiresAt));
        Assert.Equal(1, await Db.CountAsync(fixture.ConnectionString,
            "select count(*) from participant_tokens where id = $1 and participant_id = $2 and token_hash = $3", issued.Id, id, ParticipantTokens.Hash(issued.Token)));
        var row = await Db.ScalarTextAsync(fixture.ConnectionString, "select row_to_json(t)::text from participant_tokens t where id = $1", issued.Id);
        Assert.DoesNotContain(issued.Token[ParticipantTokens.Prefix.Length..], row, StringComparison.Ordinal);
        Assert.Equal(new TokenHolder(issued.Id, id, ParticipantKind.Human, null, null), await Lookup.FindAsync(ParticipantTokens.Hash(issued.Token)));
    }

    [Fact]
    public async Task Every_token_and_its_id_are_different()
    {
        var (_, grain) = await NewParticipantAsync();

        var issued = new List<IssuedToken>();
        for (var i = 0; i < 5; i++)
        {
            issued.Add(await grain.IssueTokenAsync(new IssueTokenCommand()));
        }

        Assert.Equal(5, issued.Select(t => t.Token).Distinct().Count());
        Assert.Equal(5, issued.Select(t => t.Id).Distinct().Count());
    }

    [Fact]
    public void A_new_token_value_is_the_prefix_and_256_random_bits()
    {
        var token = TokenValues.New();

        Assert.StartsWith(ParticipantTokens.Prefix, token, StringComparison.Ordinal);
        Assert.Equal(ParticipantTokens.RandomBytes, System.Buffers.Text.Base64Url.DecodeFromChars(token.AsSpan(ParticipantTokens.Prefix.Length)).Length);
        Assert.True(ParticipantTokens.IsWellFormed(token));
        Assert.NotEqual(token, TokenValues.New());
    }

    [Fact]
    public async Task An_expiry_in_the_future_is_kept_and_one_now_or_past_is_a_validation_error_on_expires_at()
    {
        var (id, grain) = await NewParticipantAsync();
        var now = fixture.Clock.GetUtcNow();
        var future = DateTimeOffset.FromUnixTimeSeconds(now.ToUnixTimeSeconds() + 3600);

        var atNow = await Assert.ThrowsAsync<SessionException>(() => grain.IssueTokenAsync(new IssueTokenCommand(now)));
        var past = await Assert.ThrowsAsync<SessionException>(() => grain.IssueTokenAsync(new IssueTokenCommand(now.AddSeconds(-1))));
        Assert.Equal(0, await Db.CountAsync(fixture.ConnectionString, "select count(*) from participant_tokens where participant_id = $1", id));
        var issued = await grain.IssueTokenAsync(new IssueTokenCommand(future));

        Assert.All([atNow, past], e => Assert.Equal((SessionErrors.Validation, "expires_at must be in the future."), (e.Code, Assert.Single(e.Fields["expires_at"]))));
        Assert.Equal(future, issued.ExpiresAt);
        Assert.Equal(future, (await Lookup.FindAsync(ParticipantTokens.Hash(issued.Token)))!.ExpiresAt);
    }

    [Fact]
    public async Task An_unknown_participant_is_participant_not_found_on_every_token_call_after_the_rules()
    {
        var ghost = fixture.Silo.Grains.GetGrain<IParticipantGrain>($"ghost-{Guid.NewGuid():N}");
        var unnamable = fixture.Silo.Grains.GetGrain<IParticipantGrain>("no spaces in ids");

        foreach (var grain in new[] { ghost, unnamable })
        {
            Assert.Equal(SessionErrors.ParticipantNotFound, (await Assert.ThrowsAsync<SessionException>(() => grain.IssueTokenAsync(new IssueTokenCommand()))).Code);
            Assert.Equal(SessionErrors.ParticipantNotFound, (await Assert.ThrowsAsync<SessionException>(() => grain.ListTokensAsync(new PageQuery()))).Code);
            Assert.Equal(SessionErrors.ParticipantNotFound, (await Assert.ThrowsAsync<SessionException>(() => grain.RevokeTokenAsync("some-token"))).Code);
        }

        // A broken rule is heard before the participant's absence.
        var expired = await Assert.ThrowsAsync<SessionException>(() => ghost.IssueTokenAsync(new IssueTokenCommand(fixture.Clock.GetUtcNow().AddDays(-1))));
        var badLimit = await Assert.ThrowsAsync<SessionException>(() => ghost.ListTokensAsync(new PageQuery(null, 0)));
        Assert.Equal(["expires_at"], expired.Fields.Keys);
        Assert.Equal(["limit"], badLimit.Fields.Keys);
    }

    [Fact]
    public async Task Listing_shows_each_token_oldest_first_with_its_status_judged_at_the_time_of_the_call()
    {
        var (id, grain) = await NewParticipantAsync();
        var active = await IssueAsync(grain);
        var revoked = await IssueAsync(grain);
        var expiring = await IssueAsync(grain, fixture.Clock.GetUtcNow().AddMinutes(1));
        await grain.RevokeTokenAsync(revoked.Id);

        var before = await grain.ListTokensAsync(new PageQuery());
        fixture.Clock.Advance(TimeSpan.FromMinutes(2));
        var after = await grain.ListTokensAsync(new PageQuery());

        Assert.Equal([active.Id, revoked.Id, expiring.Id], before.Tokens.Select(t => t.Id));
        Assert.All(before.Tokens, t => Assert.Equal(id, t.ParticipantId));
        Assert.Equal([TokenStatus.Active, TokenStatus.Revoked, TokenStatus.Active], before.Tokens.Select(t => t.Status));
        Assert.Equal([TokenStatus.Active, TokenStatus.Revoked, TokenStatus.Expired], after.Tokens.Select(t => t.Status));
        Assert.NotNull(after.Tokens[1].RevokedAt);
        Assert.Equal(expiring.ExpiresAt, after.Tokens[2].ExpiresAt);
        Assert.Null(after.NextCursor);
    }

    [Fact]
    public async Task Listing_walks_every_page_by_cursor()
    {
        var (_, grain) = await NewParticipantAsync();
        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add((await IssueAsync(grain)).Id);
        }

        var seen = new List<string>();
        string? cursor = null;
        do
        {
            var page = await grain.ListTokensAsync(new PageQuery(cursor, 2));
            Assert.InRange(page.Tokens.Count, 1, 2);
            seen.AddRange(page.Tokens.Select(t => t.Id));
            cursor = page.NextCursor;
        }
        while (cursor is not null);

        Assert.Equal(ids, seen);
    }

    [Theory]
    [InlineData(null, 0, "limit")]
    [InlineData(null, 501, "limit")]
    [InlineData("bogus", null, "cursor")]
    [InlineData("VDAwMDAwMDAwMA", 5, "cursor")]
    public async Task A_limit_out_of_range_or_a_cursor_not_issued_here_is_a_validation_error_naming_it(string? cursor, int? limit, string field)
    {
        var (_, grain) = await NewParticipantAsync();

        var error = await Assert.ThrowsAsync<SessionException>(() => grain.ListTokensAsync(new PageQuery(cursor, limit)));

        Assert.Equal(SessionErrors.Validation, error.Code);
        Assert.Equal([field], error.Fields.Keys);
    }

    [Fact]
    public async Task Revoking_returns_the_revoked_token_and_revoking_again_keeps_the_first_time()
    {
        var (_, grain) = await NewParticipantAsync();
        var issued = await grain.IssueTokenAsync(new IssueTokenCommand());

        var first = await grain.RevokeTokenAsync(issued.Id);
        var again = await grain.RevokeTokenAsync(issued.Id);

        Assert.Equal((issued.Id, TokenStatus.Revoked), (first.Id, first.Status));
        Assert.NotNull(first.RevokedAt);
        Assert.Equal(first, again);
        Assert.Equal(first.RevokedAt, (await Lookup.FindAsync(ParticipantTokens.Hash(issued.Token)))!.RevokedAt);
    }

    [Fact]
    public async Task Revoking_a_token_the_participant_does_not_have_is_token_not_found_and_changes_nothing()
    {
        var (alice, aliceGrain) = await NewParticipantAsync();
        var (_, bobGrain) = await NewParticipantAsync();
        var token = await aliceGrain.IssueTokenAsync(new IssueTokenCommand());

        var others = await Assert.ThrowsAsync<SessionException>(() => bobGrain.RevokeTokenAsync(token.Id));
        var unknown = await Assert.ThrowsAsync<SessionException>(() => aliceGrain.RevokeTokenAsync("no-such-token"));
        var unnamable = await Assert.ThrowsAsync<SessionException>(() => aliceGrain.RevokeTokenAsync("not a token id"));

        Assert.All([others, unknown, unnamable], e => Assert.Equal(SessionErrors.TokenNotFound, e.Code));
        Assert.Equal($"Participant '{alice}' has no token 'no-such-token'.", unknown.Message);
        Assert.Equal(TokenStatus.Active, Assert.Single((await aliceGrain.ListTokensAsync(new PageQuery())).Tokens).Status);
    }

    private async Task<(string Id, IParticipantGrain Grain)> NewParticipantAsync()
    {
        var id = $"p-{Guid.NewGuid():N}";
        await fixture.Silo.Participants.TryInsertAsync(id, ParticipantKind.Human, null, null, CancellationToken.None);
        return (id, fixture.Silo.Grains.GetGrain<IParticipantGrain>(id));
    }

    /// <summary>Issues a token a millisecond after the last one: token ids are time-ordered by the grain's clock.</summary>
    private async Task<IssuedToken> IssueAsync(IParticipantGrain grain, DateTimeOffset? expiresAt = null)
    {
        fixture.Clock.Advance(TimeSpan.FromMilliseconds(1));
        return await grain.IssueTokenAsync(new IssueTokenCommand(expiresAt));
    }
}
