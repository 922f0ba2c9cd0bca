using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Sessions.Gateway.Problems;
using Sessions.Testing;

namespace Sessions.Gateway.Tests.Authentication;

/// <summary><c>/api/participants/{id}/tokens</c>: issue (the value shown once, stored hashed), list, revoke.</summary>
public sealed class ParticipantTokensApiTests(AuthGatewayFixture fixture) : IClassFixture<AuthGatewayFixture>
{
    private readonly HttpClient _admin = fixture.Client;

    [Fact]
    public async Task Issuing_answers_201_with_the_token_once_and_stores_only_its_hash()
    {
        var alice = await _admin.CreateParticipantAsync("alice");

        var issued = await (await _admin.PostJsonAsync($"/api/participants/{alice}/tokens", "{}")).ExpectJsonAsync(HttpStatusCode.Created);

        var id = issued.GetProperty("id").GetString()!;
        var token = issued.GetProperty("token").GetString()!;
        Assert.Equal(alice, issued.GetProperty("participant_id").GetString());
        Assert.Equal(JsonValueKind.Null, issued.GetProperty("expires_at").ValueKind);
        Assert.StartsWith("sst_", token, StringComparison.Ordinal);
        Assert.Equal(4 + 43, token.Length);
        Assert.True(Base64UrlDecodedLength(token[4..]) >= 32, "at least 256 random bits");
        var stored = await fixture.Database.ScalarAsync<byte[]>($"select token_hash from participant_tokens where id = '{id}'");
        Assert.Equal(SHA256.HashData(Encoding.UTF8.GetBytes(token)), stored);
        var row = await fixture.Database.ScalarAsync<string>($"select row_to_json(t)::text from participant_tokens t where id = '{id}'");
        Assert.DoesNotContain(token[4..], row, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_token_is_different()
    {
        var alice = await _admin.CreateParticipantAsync("alice");

        var tokens = new HashSet<string>();
        for (var i = 0; i < 5; i++)
        {
            tokens.Add((await _admin.IssueTokenAsync(alice)).Token);
        }

        Assert.Equal(5, tokens.Count);
    }

    [Fact]
    public async Task A_bare_post_issues_a_token_that_does_not_expire()
    {
        var alice = await _admin.CreateParticipantAsync("alice");

        var issued = await (await _admin.PostAsync($"/api/participants/{alice}/tokens", null)).ExpectJsonAsync(HttpStatusCode.Created);

        Assert.Equal(JsonValueKind.Null, issued.GetProperty("expires_at").ValueKind);
    }

    [Fact]
    public async Task An_expiry_is_kept_to_the_microsecond()
    {
        var alice = await _admin.CreateParticipantAsync("alice");

        var issued = await (await _admin.PostJsonAsync($"/api/participants/{alice}/tokens", """{"expires_at":"2099-05-06T07:08:09.123456+02:00"}"""))
            .ExpectJsonAsync(HttpStatusCode.Created);

        Assert.Equal(DateTimeOffset.Parse("2099-05-06T05:08:09.123456Z", System.Globalization.CultureInfo.InvariantCulture), issued.GetProperty("expires_at").GetDateTimeOffset());
    }

    [Theory]
    [InlineData("""{"expires_at":"2001-01-01T00:00:00Z"}""")]
    [InlineData("""{"expires_at":"2099-01-01T00:00:00"}""")]
    [InlineData("""{"expires_at":"2099-01-01"}""")]
    [InlineData("""{"expires_at":"next tuesday"}""")]
    [InlineData("""{"expires_at":"2099-13-01T00:00:00Z"}""")]
    [InlineData("""{"expires_at":"2099-01-01T00:00:00Z\n"}""")]
    [InlineData("""{"expires_at":4102444800}""")]
    public async Task An_expiry_in_the_past_or_not_an_rfc3339_time_is_a_400_naming_expires_at(string body)
    {
        var alice = await _admin.CreateParticipantAsync("alice");
        var before = await CountTokensAsync();

        await (await _admin.PostJsonAsync($"/api/participants/{alice}/tokens", body)).ExpectValidationProblemAsync("expires_at");

        Assert.Equal(before, await CountTokensAsync());
    }

    [Fact]
    public async Task Malformed_json_is_a_400_invalid_json()
    {
        var alice = await _admin.CreateParticipantAsync("alice");

        await (await _admin.PostJsonAsync($"/api/participants/{alice}/tokens", "{\"expires_at\":")).ExpectProblemAsync(HttpStatusCode.BadRequest, ProblemCodes.InvalidJson);
    }

    [Fact]
    public async Task An_unknown_participant_is_a_404_on_every_token_route()
    {
        await (await _admin.PostJsonAsync("/api/participants/nobody-at-all/tokens", "{}")).ExpectProblemAsync(HttpStatusCode.NotFound, "participant-not-found");
        await (await _admin.GetAsync("/api/participants/nobody-at-all/tokens")).ExpectProblemAsync(HttpStatusCode.NotFound, "participant-not-found");
        await (await _admin.RevokeTokenAsync("nobody-at-all", "some-token")).ExpectProblemAsync(HttpStatusCode.NotFound, "participant-not-found");
    }

    [Fact]
    public async Task Listing_shows_each_token_with_its_status_and_never_its_value()
    {
        var alice = await _admin.CreateParticipantAsync("alice");
        var (active, activeToken) = await _admin.IssueTokenAsync(alice);
        var (revoked, revokedToken) = await _admin.IssueTokenAsync(alice);
        var (expiring, expiringToken) = await _admin.IssueTokenAsync(alice, DateTimeOffset.UtcNow.AddSeconds(1));
        await _admin.RevokeTokenAsync(alice, revoked);
        await Eventually.TrueAsync(async () => await StatusOfAsync(alice, expiring) == "expired", "the short token has expired", TimeSpan.FromSeconds(10));

        var response = await _admin.GetAsync($"/api/participants/{alice}/tokens");
        var text = await response.Content.ReadAsStringAsync();
        var list = await response.ExpectJsonAsync(HttpStatusCode.OK);

        var tokens = list.GetProperty("tokens").EnumerateArray().ToList();
        Assert.Equal([active, revoked, expiring], tokens.Select(t => t.GetProperty("id").GetString()));
        Assert.Equal(["active", "revoked", "expired"], tokens.Select(t => t.GetProperty("status").GetString()));
        Assert.Equal(JsonValueKind.String, tokens[1].GetProperty("revoked_at").ValueKind);
        Assert.All(tokens, t => Assert.False(t.TryGetProperty("token", out _)));
        Assert.All(new[] { activeToken, revokedToken, expiringToken }, token => Assert.DoesNotContain(token[4..], text, StringComparison.Ordinal));
        Assert.Equal(JsonValueKind.Null, list.GetProperty("next_cursor").ValueKind);
    }

    [Fact]
    public async Task Listing_is_paged_by_cursor_oldest_first()
    {
        var alice = await _admin.CreateParticipantAsync("alice");
        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add((await _admin.IssueTokenAsync(alice)).Id);
        }

        var seen = new List<string>();
        string? cursor = null;
        do
        {
            var page = await (await _admin.GetAsync($"/api/participants/{alice}/tokens?limit=2{(cursor is null ? "" : $"&cursor={cursor}")}")).ExpectJsonAsync(HttpStatusCode.OK);
            seen.AddRange(page.GetProperty("tokens").EnumerateArray().Select(t => t.GetProperty("id").GetString()!));
            cursor = page.GetProperty("next_cursor").GetString();
        }
        while (cursor is not null);

        Assert.Equal(ids, seen);
        await (await _admin.GetAsync($"/api/participants/{alice}/tokens?limit=0")).ExpectValidationProblemAsync("limit");
        await (await _admin.GetAsync($"/api/participants/{alice}/tokens?cursor=bogus")).ExpectValidationProblemAsync("cursor");
    }

    [Fact]
    public async Task Revoking_is_a_204_twice_and_a_404_for_a_token_the_participant_does_not_have()
    {
        var alice = await _admin.CreateParticipantAsync("alice");
        var bob = await _admin.CreateParticipantAsync("bob");
        var (tokenId, _) = await _admin.IssueTokenAsync(alice);

        Assert.Equal(HttpStatusCode.NoContent, (await _admin.RevokeTokenAsync(alice, tokenId)).StatusCode);
        var first = await fixture.Database.ScalarAsync<DateTime>($"select revoked_at from participant_tokens where id = '{tokenId}'");
        Assert.Equal(HttpStatusCode.NoContent, (await _admin.RevokeTokenAsync(alice, tokenId)).StatusCode);

        Assert.Equal(first, await fixture.Database.ScalarAsync<DateTime>($"select revoked_at from participant_tokens where id = '{tokenId}'"));
        await (await _admin.RevokeTokenAsync(bob, tokenId)).ExpectProblemAsync(HttpStatusCode.NotFound, ProblemCodes.TokenNotFound);
        await (await _admin.RevokeTokenAsync(alice, "no-such-token")).ExpectProblemAsync(HttpStatusCode.NotFound, ProblemCodes.TokenNotFound);
    }

    private async Task<string?> StatusOfAsync(string participant, string tokenId)
    {
        var list = await (await _admin.GetAsync($"/api/participants/{participant}/tokens")).ExpectJsonAsync(HttpStatusCode.OK);
        return list.GetProperty("tokens").EnumerateArray().Single(t => t.GetProperty("id").GetString() == tokenId).GetProperty("status").GetString();
    }

    private Task<long> CountTokensAsync() => fixture.Database.ScalarAsync<long>("select count(*) from participant_tokens");

    private static int Base64UrlDecodedLength(string text) => System.Buffers.Text.Base64Url.DecodeFromChars(text).Length;
}
