using System.Net;
using System.Text.Json;

namespace Sessions.Gateway.Tests.Api.Participants;

public sealed class ParticipantsApiTests(GatewayFixture gateway) : IClassFixture<GatewayFixture>
{
    private readonly HttpClient _client = gateway.Client;

    [Fact]
    public async Task Creating_a_participant_returns_201_with_the_stored_participant_and_its_location()
    {
        var id = HttpApi.Unique("alice");

        var response = await _client.PostJsonAsync("/api/participants",
            $$$"""{"id":"{{{id}}}","kind":"human","display_name":"Alice","metadata":{"team":"blue"}}""");

        var participant = await response.ExpectJsonAsync(HttpStatusCode.Created);
        Assert.Equal($"/api/participants/{id}", response.Headers.Location?.ToString());
        Assert.Equal(id, participant.GetProperty("id").GetString());
        Assert.Equal("human", participant.GetProperty("kind").GetString());
        Assert.Equal("Alice", participant.GetProperty("display_name").GetString());
        Assert.Equal("blue", participant.GetProperty("metadata").GetProperty("team").GetString());
        Assert.True(participant.GetProperty("created_at").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddMinutes(-5));
    }

    [Fact]
    public async Task A_participant_without_an_id_gets_a_generated_one_that_can_be_fetched()
    {
        var response = await _client.PostJsonAsync("/api/participants", """{"kind":"agent"}""");

        var created = await response.ExpectJsonAsync(HttpStatusCode.Created);
        var id = created.GetProperty("id").GetString()!;
        Assert.Matches("^[A-Za-z0-9._:@-]+$", id);
        Assert.Equal(JsonValueKind.Null, created.GetProperty("display_name").ValueKind);
        Assert.Equal(JsonValueKind.Null, created.GetProperty("metadata").ValueKind);
        var fetched = await (await _client.GetAsync(response.Headers.Location)).ExpectJsonAsync(HttpStatusCode.OK);
        Assert.Equal(id, fetched.GetProperty("id").GetString());
        Assert.Equal("agent", fetched.GetProperty("kind").GetString());
    }

    [Fact]
    public async Task Getting_an_unknown_participant_is_a_404()
    {
        var response = await _client.GetAsync("/api/participants/nobody-here");

        await response.ExpectProblemAsync(HttpStatusCode.NotFound, "participant-not-found");
    }

    [Fact]
    public async Task Getting_a_participant_by_an_id_that_breaks_the_id_rule_is_a_404()
    {
        var response = await _client.GetAsync("/api/participants/" + Uri.EscapeDataString("no spaces allowed"));

        await response.ExpectProblemAsync(HttpStatusCode.NotFound, "participant-not-found");
    }

    [Fact]
    public async Task Creating_a_participant_with_a_taken_id_is_a_409_and_writes_nothing()
    {
        var id = await _client.CreateParticipantAsync();
        var before = await gateway.Database.CountRowsAsync();

        var response = await _client.PostJsonAsync("/api/participants", $$"""{"id":"{{id}}","kind":"system"}""");

        await response.ExpectProblemAsync(HttpStatusCode.Conflict, "participant-already-exists");
        Assert.Equal(before, await gateway.Database.CountRowsAsync());
        var kept = await (await _client.GetAsync($"/api/participants/{id}")).ExpectJsonAsync(HttpStatusCode.OK);
        Assert.Equal("human", kept.GetProperty("kind").GetString());
    }

    [Fact]
    public async Task Listing_participants_walks_every_page_by_ascending_id_without_repeats()
    {
        var prefix = HttpApi.Unique("list");
        foreach (var suffix in new[] { "c", "a", "e", "b", "d" })
        {
            var response = await _client.PostJsonAsync("/api/participants", $$"""{"id":"{{prefix}}-{{suffix}}","kind":"human"}""");
            await response.ExpectJsonAsync(HttpStatusCode.Created);
        }

        var seen = new List<string>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var query = cursor is null ? "/api/participants?limit=2" : $"/api/participants?limit=2&cursor={Uri.EscapeDataString(cursor)}";
            var page = await (await _client.GetAsync(query)).ExpectJsonAsync(HttpStatusCode.OK);
            var ids = page.GetProperty("participants").EnumerateArray().Select(p => p.GetProperty("id").GetString()!).ToList();
            Assert.InRange(ids.Count, 1, 2);
            seen.AddRange(ids);
            cursor = page.GetProperty("next_cursor").GetString();
            pages++;
        }
        while (cursor is not null && pages < 1000);

        Assert.Equal(seen.Distinct().Count(), seen.Count);
        Assert.Equal(seen.Order(StringComparer.Ordinal), seen);
        Assert.Equal(new[] { "a", "b", "c", "d", "e" }.Select(s => $"{prefix}-{s}"), seen.Where(id => id.StartsWith(prefix, StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Listing_participants_without_a_limit_uses_the_default_page_size()
    {
        var page = await (await _client.GetAsync("/api/participants")).ExpectJsonAsync(HttpStatusCode.OK);

        Assert.InRange(page.GetProperty("participants").GetArrayLength(), 0, 50);
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("0")]
    [InlineData("abc")]
    [InlineData("1.5")]
    [InlineData("501")]
    [InlineData("99999999999999999999")]
    [InlineData("")]
    public async Task Listing_participants_with_a_bad_limit_is_a_400_naming_limit(string limit)
    {
        var response = await _client.GetAsync($"/api/participants?limit={Uri.EscapeDataString(limit)}");

        await response.ExpectValidationProblemAsync("limit");
    }

    [Theory]
    [InlineData("not-a-cursor!")]
    [InlineData("")]
    [InlineData("VDAwMDAwMDAwMA")] // a cursor of the session listing (tag T), not of this one
    public async Task Listing_participants_with_a_bad_cursor_is_a_400_naming_cursor(string cursor)
    {
        var response = await _client.GetAsync($"/api/participants?cursor={Uri.EscapeDataString(cursor)}");

        await response.ExpectValidationProblemAsync("cursor");
    }

    [Theory]
    [InlineData("""{"id":"x1","kind":"human",""", "invalid-json")]
    [InlineData("""{"id":"x1" "kind":"human"}""", "invalid-json")]
    [InlineData("""{'id':'x1'}""", "invalid-json")]
    [InlineData("", "invalid-json")]
    [InlineData("""{"kind":"human"} {"kind":"human"}""", "invalid-json")]
    public async Task Malformed_json_is_a_400_invalid_json_and_writes_nothing(string body, string code)
    {
        var before = await gateway.Database.CountRowsAsync();

        var response = await _client.PostJsonAsync("/api/participants", body);

        await response.ExpectProblemAsync(HttpStatusCode.BadRequest, code);
        Assert.Equal(before, await gateway.Database.CountRowsAsync());
    }

    [Fact]
    public async Task A_display_name_over_the_default_256_characters_is_a_400_and_writes_nothing()
    {
        var before = await gateway.Database.CountRowsAsync();

        var tooLong = await _client.PostJsonAsync("/api/participants", $$"""{"kind":"human","display_name":"{{new string('n', 257)}}"}""");
        var longest = await _client.PostJsonAsync("/api/participants", $$"""{"kind":"human","display_name":"{{new string('n', 256)}}"}""");

        await tooLong.ExpectValidationProblemAsync("display_name");
        Assert.Equal(HttpStatusCode.Created, longest.StatusCode);
        Assert.Equal(before.Participants + 1, (await gateway.Database.CountRowsAsync()).Participants);
    }

    [Theory]
    [InlineData("""{"id":5,"kind":"human"}""", "id")]
    [InlineData("""{"kind":"robot"}""", "kind")]
    [InlineData("""{"kind":1}""", "kind")]
    [InlineData("""{"kind":"human","display_name":["A"]}""", "display_name")]
    [InlineData("""{"kind":"human","metadata":"x"}""", "metadata")]
    [InlineData("""{"kind":"human","metadata":[1]}""", "metadata")]
    [InlineData("""{"id":"has space","kind":"human"}""", "id")]
    [InlineData("""{"id":"","kind":"human"}""", "id")]
    [InlineData("""{"id":"slash/y","kind":"human"}""", "id")]
    [InlineData("""{}""", "kind")]
    [InlineData("""{"kind":null}""", "kind")]
    [InlineData("""[]""", "body")]
    [InlineData("""null""", "body")]
    [InlineData("\"human\"", "body")]
    public async Task Invalid_fields_are_a_400_validation_naming_the_field_and_write_nothing(string body, string field)
    {
        var before = await gateway.Database.CountRowsAsync();

        var response = await _client.PostJsonAsync("/api/participants", body);

        await response.ExpectValidationProblemAsync(field);
        Assert.Equal(before, await gateway.Database.CountRowsAsync());
    }

    [Fact]
    public async Task An_id_longer_than_the_limit_is_a_400_and_one_at_the_limit_is_accepted()
    {
        var before = await gateway.Database.CountRowsAsync();
        var unique = HttpApi.Unique("long");
        var atLimit = unique + new string('x', 128 - unique.Length);

        var tooLong = await _client.PostJsonAsync("/api/participants", $$"""{"id":"{{atLimit}}y","kind":"human"}""");
        await tooLong.ExpectValidationProblemAsync("id");
        Assert.Equal(before, await gateway.Database.CountRowsAsync());

        var accepted = await _client.PostJsonAsync("/api/participants", $$"""{"id":"{{atLimit}}","kind":"human"}""");
        Assert.Equal(128, (await accepted.ExpectJsonAsync(HttpStatusCode.Created)).GetProperty("id").GetString()!.Length);
    }

    [Fact]
    public async Task Metadata_larger_than_the_limit_is_a_400_and_writes_nothing()
    {
        var before = await gateway.Database.CountRowsAsync();
        var big = new string('m', 16 * 1024);

        var response = await _client.PostJsonAsync("/api/participants", $$$"""{"kind":"human","metadata":{"m":"{{{big}}}"}}""");

        await response.ExpectValidationProblemAsync("metadata");
        Assert.Equal(before, await gateway.Database.CountRowsAsync());
    }

    [Fact]
    public async Task Several_invalid_fields_are_all_listed_in_one_problem()
    {
        var response = await _client.PostJsonAsync("/api/participants", """{"id":"bad id","metadata":7}""");

        await response.ExpectValidationProblemAsync("id", "kind", "metadata");
    }
}
