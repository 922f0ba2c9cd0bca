using System.Security.Cryptography;

namespace Sessions.Grains.Tests.Tokens;

/// <summary>What a gateway asks of presented tokens: who holds one, by its hash, and which of those its connections hold stopped working.</summary>
public sealed class TokenLookupGrainTests(FakeClockSiloFixture fixture) : IClassFixture<FakeClockSiloFixture>
{
    private ITokenLookupGrain Lookup => fixture.Silo.Grains.GetGrain<ITokenLookupGrain>(0);

    [Fact]
    public async Task A_token_is_found_by_its_hash_with_its_holder_revoked_and_expired_ones_included()
    {
        var (agent, grain) = await NewParticipantAsync(ParticipantKind.Agent);
        var expiresAt = DateTimeOffset.FromUnixTimeSeconds(fixture.Clock.GetUtcNow().ToUnixTimeSeconds() + 60);
        var issued = await grain.IssueTokenAsync(new IssueTokenCommand(expiresAt));

        var found = await Lookup.FindAsync(ParticipantTokens.Hash(issued.Token));
        var revoked = await grain.RevokeTokenAsync(issued.Id);
        fixture.Clock.Advance(TimeSpan.FromMinutes(2));
        var afterwards = await Lookup.FindAsync(ParticipantTokens.Hash(issued.Token));

        Assert.Equal(new TokenHolder(issued.Id, agent, ParticipantKind.Agent, expiresAt, null), found);
        Assert.Equal(found! with { RevokedAt = revoked.RevokedAt }, afterwards);
    }

    [Fact]
    public async Task An_unknown_hash_or_one_that_is_no_sha256_finds_nothing()
    {
        Assert.Null(await Lookup.FindAsync(RandomNumberGenerator.GetBytes(32)));
        Assert.Null(await Lookup.FindAsync(RandomNumberGenerator.GetBytes(20)));
        Assert.Null(await Lookup.FindAsync([]));
    }

    [Fact]
    public async Task The_tokens_that_stopped_working_are_named_with_the_reason_judged_now()
    {
        var (_, grain) = await NewParticipantAsync(ParticipantKind.Human);
        var valid = await grain.IssueTokenAsync(new IssueTokenCommand());
        var revoked = await grain.IssueTokenAsync(new IssueTokenCommand());
        var expiring = await grain.IssueTokenAsync(new IssueTokenCommand(fixture.Clock.GetUtcNow().AddMinutes(1)));
        await grain.RevokeTokenAsync(revoked.Id);
        var gone = $"gone-{Guid.NewGuid():N}";
        string[] held = [valid.Id, revoked.Id, expiring.Id, gone, "not an id", revoked.Id];

        var now = await Lookup.FindUnusableAsync(held);
        fixture.Clock.Advance(TimeSpan.FromMinutes(2));
        var later = await Lookup.FindUnusableAsync(held);

        UnusableToken[] unusableNow = [new(revoked.Id, TokenUnusableReason.Revoked), new(gone, TokenUnusableReason.Gone), new("not an id", TokenUnusableReason.Gone)];
        Assert.Equal(Sorted(unusableNow), Sorted(now));
        Assert.Equal(Sorted([.. unusableNow, new(expiring.Id, TokenUnusableReason.Expired)]), Sorted(later));
        Assert.Empty(await Lookup.FindUnusableAsync([]));
        Assert.Empty(await Lookup.FindUnusableAsync([valid.Id]));
    }

    private static List<UnusableToken> Sorted(IEnumerable<UnusableToken> tokens) => [.. tokens.OrderBy(t => t.TokenId, StringComparer.Ordinal)];

    private async Task<(string Id, IParticipantGrain Grain)> NewParticipantAsync(ParticipantKind kind)
    {
        var id = $"p-{Guid.NewGuid():N}";
        await fixture.Silo.Participants.TryInsertAsync(id, kind, null, null, CancellationToken.None);
        return (id, fixture.Silo.Grains.GetGrain<IParticipantGrain>(id));
    }
}
