using System.Net;
using Sessions.Testing;

namespace Sessions.Gateway.Tests.Problems;

public sealed class ProblemResponsesTests(GatewayFixture gateway) : IClassFixture<GatewayFixture>
{
    private readonly HttpClient _client = gateway.Client;

    [Theory]
    [InlineData("/api/nothing-here")]
    [InlineData("/api/sessions/a/b/c/d")]
    [InlineData("/")]
    public async Task An_unknown_route_is_a_404_not_found_problem(string path)
    {
        var response = await _client.GetAsync(path);

        await response.ExpectProblemAsync(HttpStatusCode.NotFound, "not-found");
    }

    [Theory]
    [InlineData("DELETE", "/api/participants")]
    [InlineData("PUT", "/api/participants/someone")]
    [InlineData("GET", "/api/sessions/some-session/status")]
    [InlineData("PATCH", "/api/sessions/some-session/messages")]
    public async Task A_known_route_with_the_wrong_method_is_a_405_that_lists_the_allowed_ones(string method, string path)
    {
        var response = await _client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));

        await response.ExpectProblemAsync(HttpStatusCode.MethodNotAllowed, "method-not-allowed");
        Assert.NotEmpty(response.Content.Headers.Allow);
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData("application/xml")]
    [InlineData("application/json; charset=iso-8859-1")]
    public async Task A_body_that_is_not_json_is_a_415_on_every_route_and_writes_nothing(string mediaType)
    {
        var (id, alice, bob) = await _client.CreateSessionAsync();
        var before = await gateway.Database.CountRowsAsync();

        var responses = new[]
        {
            await _client.PostAsync("/api/participants", HttpApi.JsonContent("""{"kind":"human"}""", mediaType)),
            await _client.PostAsync("/api/sessions", HttpApi.JsonContent($$"""{"initiator_id":"{{alice}}","peer_id":"{{bob}}"}""", mediaType)),
            await _client.PostAsync($"/api/sessions/{id}/status", HttpApi.JsonContent("""{"status":"closed"}""", mediaType)),
            await _client.PostAsync($"/api/sessions/{id}/messages", HttpApi.JsonContent(RequestBodies.Message(alice, "hi"), mediaType)),
        };

        foreach (var response in responses)
        {
            await response.ExpectProblemAsync(HttpStatusCode.UnsupportedMediaType, "unsupported-media-type");
        }

        Assert.Equal(before, await gateway.Database.CountRowsAsync());
        var session = await (await _client.GetAsync($"/api/sessions/{id}")).ExpectJsonAsync(HttpStatusCode.OK);
        Assert.Equal("active", session.GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_body_without_a_content_type_is_a_415()
    {
        var content = new ByteArrayContent("""{"kind":"human"}"""u8.ToArray());

        var response = await _client.PostAsync("/api/participants", content);

        await response.ExpectProblemAsync(HttpStatusCode.UnsupportedMediaType, "unsupported-media-type");
    }

    [Fact]
    public async Task A_json_media_type_with_a_suffix_and_a_utf8_charset_is_accepted()
    {
        var response = await _client.PostAsync("/api/participants", HttpApi.JsonContent("""{"kind":"human"}""", "application/json; charset=utf-8"));

        await response.ExpectJsonAsync(HttpStatusCode.Created);
    }

    [Fact]
    public async Task An_unexpected_failure_is_a_500_internal_problem_that_reveals_nothing_of_the_server()
    {
        // A database of its own whose participants table disappears under the running gateway.
        var connectionString = await TestPostgres.CreateDatabaseAsync("broken");
        await using var database = new TestDatabase(connectionString);
        await using var broken = await GatewayFixture.StartGatewayAsync(connectionString);
        using var client = new HttpClient { BaseAddress = new Uri(broken.Addresses.First()) }.Authorize();
        await database.ExecuteAsync("alter table participants rename to participants_gone");

        var response = await client.GetAsync("/api/participants/alice");

        var problem = await response.ExpectProblemAsync(HttpStatusCode.InternalServerError, "internal");
        var text = problem.GetRawText();
        Assert.DoesNotContain("participants", text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("Npgsql", text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("exception", text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(" at ", text, StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("trace_id").GetString()));
        await broken.StopAsync();
    }
}
