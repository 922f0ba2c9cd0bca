using System.Globalization;
using System.Net;
using Sessions.Gateway.Authentication;
using Sessions.Gateway.Problems;
using Sessions.Testing;

namespace Sessions.Gateway.Tests.Authentication;

/// <summary>Every route but the health checks takes an admin key or a valid participant token, and says exactly why it did not.</summary>
public sealed class BearerAuthenticationTests(AuthGatewayFixture fixture) : IClassFixture<AuthGatewayFixture>
{
    private readonly HttpClient _admin = fixture.Client;

    [Theory]
    [InlineData("/healthz")]
    [InlineData("/readyz")]
    public async Task Health_checks_need_no_token(string path)
    {
        using var anonymous = _admin.As(null);

        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync(path)).StatusCode);
    }

    [Theory]
    [InlineData("GET", "/api/participants")]
    [InlineData("GET", "/api/sessions/some-session")]
    [InlineData("POST", "/api/sessions")]
    [InlineData("GET", "/metrics")]
    [InlineData("GET", "/openapi/v1.json")]
    [InlineData("GET", "/ws")]
    [InlineData("GET", "/api/sessions/some-session/events")]
    [InlineData("GET", "/no/such/route")]
    public async Task Without_a_token_a_route_is_a_401_token_missing_with_a_bearer_challenge(string method, string path)
    {
        using var anonymous = _admin.As(null);

        var response = await anonymous.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));

        await response.ExpectUnauthorizedAsync(ProblemCodes.TokenMissing);
        Assert.Equal("realm=\"sessions\"", Assert.Single(response.Headers.WwwAuthenticate).Parameter);
    }

    [Theory]
    [InlineData("Basic dXNlcjpwYXNz")]
    [InlineData("Bearer")]
    [InlineData("Bearer ")]
    [InlineData("Bearer not a token")]
    [InlineData("Bearer abc\"def")]
    [InlineData("Bearer sst_tooshort")]
    [InlineData("Bearer sst_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("Bearer sst_!AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public async Task A_malformed_authorization_header_is_a_401_token_malformed(string header)
    {
        using var client = _admin.As(null);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/participants");
        request.Headers.TryAddWithoutValidation("Authorization", header);

        var response = await client.SendAsync(request);

        var problem = await response.ExpectUnauthorizedAsync(ProblemCodes.TokenMalformed);
        Assert.Contains("error=\"invalid_token\"", Assert.Single(response.Headers.WwwAuthenticate).Parameter, StringComparison.Ordinal);
        Assert.DoesNotContain(header.Length > 7 ? header[7..] : "\u0001", problem.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_token_longer_than_the_limit_is_malformed()
    {
        using var client = _admin.As(new string('a', BearerCredentials.MaxLength + 1));

        await (await client.GetAsync("/api/participants")).ExpectUnauthorizedAsync(ProblemCodes.TokenMalformed);
    }

    [Fact]
    public async Task Two_authorization_headers_are_malformed()
    {
        using var client = _admin.As(null);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/participants");
        request.Headers.TryAddWithoutValidation("Authorization", [$"Bearer {TestCredentials.AdminKey}", $"Bearer {TestCredentials.AdminKey}"]);

        await (await client.SendAsync(request)).ExpectUnauthorizedAsync(ProblemCodes.TokenMalformed);
    }

    [Theory]
    [InlineData("sst_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("ssa_test-admin-key-for-the-test-suite-0123456780")]
    [InlineData("some-other-service-key-of-forty-characters")]
    public async Task A_well_formed_token_that_was_never_issued_is_a_401_token_unknown(string token)
    {
        using var client = _admin.As(token);

        var problem = await (await client.GetAsync("/api/participants")).ExpectUnauthorizedAsync(ProblemCodes.TokenUnknown);

        Assert.DoesNotContain(token, problem.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_admin_key_authenticates_as_admin()
    {
        var caller = await _admin.GetStringAsync(AuthGatewayFixture.CallerPath);

        var parts = caller.Split('|');
        Assert.Equal("admin", parts[0]);
        Assert.StartsWith("admin:", parts[1], StringComparison.Ordinal);
        Assert.Equal(["", "", "", ""], parts[2..]);
        Assert.DoesNotContain(TestCredentials.AdminKey, caller, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_participant_token_authenticates_as_its_participant_with_its_kind_token_id_and_expiry()
    {
        var agent = await _admin.CreateParticipantAsync("bot", kind: "agent");
        var expiresAt = DateTimeOffset.UtcNow.AddHours(1);
        var (tokenId, token) = await _admin.IssueTokenAsync(agent, expiresAt);
        using var client = _admin.As(token);

        var caller = await client.GetStringAsync(AuthGatewayFixture.CallerPath);

        var parts = caller.Split('|');
        Assert.Equal(["participant", tokenId, agent, "Agent", tokenId], parts[..5]);
        Assert.Equal(expiresAt, DateTimeOffset.Parse(parts[5], CultureInfo.InvariantCulture), TimeSpan.FromMilliseconds(1));
    }

    [Fact]
    public async Task A_participant_token_may_use_the_session_routes_but_not_the_admin_routes()
    {
        var alice = await _admin.CreateParticipantAsync("alice");
        var (_, token) = await _admin.IssueTokenAsync(alice);
        using var client = _admin.As(token);

        await (await client.GetAsync($"/api/participants/{alice}")).ExpectJsonAsync(HttpStatusCode.OK);
        await (await client.GetAsync($"/api/participants/{alice}/inbox")).ExpectJsonAsync(HttpStatusCode.OK);
        await (await client.GetAsync("/api/agents")).ExpectProblemAsync(HttpStatusCode.Forbidden, ProblemCodes.AdminRequired);
        await (await client.GetAsync("/api/agents/some-agent/deliveries")).ExpectProblemAsync(HttpStatusCode.Forbidden, ProblemCodes.AdminRequired);
        await (await client.PostJsonAsync("/api/agents/some-agent/deliveries/recover", "{}")).ExpectProblemAsync(HttpStatusCode.Forbidden, ProblemCodes.AdminRequired);
        await (await client.PostJsonAsync("/api/agents", """{"url":"https://example.com/hook"}""")).ExpectProblemAsync(HttpStatusCode.Forbidden, ProblemCodes.AdminRequired);
        await (await client.GetAsync($"/api/participants/{alice}/tokens")).ExpectProblemAsync(HttpStatusCode.Forbidden, ProblemCodes.AdminRequired);
        await (await client.PostJsonAsync($"/api/participants/{alice}/tokens", "{}")).ExpectProblemAsync(HttpStatusCode.Forbidden, ProblemCodes.AdminRequired);
    }

    [Fact]
    public async Task A_revoked_token_is_a_401_token_revoked()
    {
        var alice = await _admin.CreateParticipantAsync("alice");
        var (tokenId, token) = await _admin.IssueTokenAsync(alice);
        using var client = _admin.As(token);
        await (await client.GetAsync($"/api/participants/{alice}")).ExpectJsonAsync(HttpStatusCode.OK);

        Assert.Equal(HttpStatusCode.NoContent, (await _admin.RevokeTokenAsync(alice, tokenId)).StatusCode);

        // Revoked on this gateway: its cache forgets the token at once.
        var problem = await (await client.GetAsync($"/api/participants/{alice}")).ExpectUnauthorizedAsync(ProblemCodes.TokenRevoked);
        Assert.Contains(tokenId, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_token_is_refused_as_token_expired_from_its_expiry_on()
    {
        var alice = await _admin.CreateParticipantAsync("alice");
        var (_, token) = await _admin.IssueTokenAsync(alice, DateTimeOffset.UtcNow.AddSeconds(2));
        using var client = _admin.As(token);
        await (await client.GetAsync($"/api/participants/{alice}")).ExpectJsonAsync(HttpStatusCode.OK);

        await Eventually.TrueAsync(
            async () => (await client.GetAsync($"/api/participants/{alice}")).StatusCode == HttpStatusCode.Unauthorized,
            "the token has expired",
            TimeSpan.FromSeconds(2) + AuthGatewayFixture.Slack);

        await (await client.GetAsync($"/api/participants/{alice}")).ExpectUnauthorizedAsync(ProblemCodes.TokenExpired);
    }

    [Fact]
    public async Task A_token_revoked_by_another_gateway_is_refused_once_the_cache_time_has_passed()
    {
        var alice = await _admin.CreateParticipantAsync("alice");
        var (tokenId, token) = await _admin.IssueTokenAsync(alice);
        using var client = _admin.As(token);
        await (await client.GetAsync($"/api/participants/{alice}")).ExpectJsonAsync(HttpStatusCode.OK);
        var remembered = DateTime.UtcNow;

        // What a revocation on another gateway does: the same row change, without this gateway hearing of it.
        await fixture.Database.ExecuteAsync($"update participant_tokens set revoked_at = now() where id = '{tokenId}'");
        var revoked = DateTime.UtcNow;
        var stillServed = (await client.GetAsync($"/api/participants/{alice}")).StatusCode;
        if (DateTime.UtcNow - remembered < AuthGatewayFixture.TokenCacheDuration)
        {
            // Not every request reads the database: the token is still remembered as valid.
            Assert.Equal(HttpStatusCode.OK, stillServed);
        }

        await Eventually.TrueAsync(
            async () => (await client.GetAsync($"/api/participants/{alice}")).StatusCode == HttpStatusCode.Unauthorized,
            "the revocation is seen",
            AuthGatewayFixture.TokenCacheDuration + AuthGatewayFixture.Slack);
        Assert.True(DateTime.UtcNow - revoked < AuthGatewayFixture.TokenCacheDuration + AuthGatewayFixture.Slack);
        await (await client.GetAsync($"/api/participants/{alice}")).ExpectUnauthorizedAsync(ProblemCodes.TokenRevoked);
    }

    [Fact]
    public async Task The_query_token_is_taken_by_the_event_streams_and_refused_elsewhere_with_a_hint()
    {
        var (session, alice, _) = await _admin.CreateSessionAsync();
        var (_, token) = await _admin.IssueTokenAsync(alice);
        using var anonymous = _admin.As(null);

        using var stream = await anonymous.GetAsync($"/api/sessions/{session}/events?access_token={token}", HttpCompletionOption.ResponseHeadersRead);
        var elsewhere = await anonymous.GetAsync($"/api/sessions/{session}?access_token={token}");

        Assert.Equal(HttpStatusCode.OK, stream.StatusCode);
        Assert.Equal("text/event-stream", stream.Content.Headers.ContentType?.MediaType);
        var problem = await elsewhere.ExpectUnauthorizedAsync(ProblemCodes.TokenMissing);
        Assert.Contains("access_token", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bad_query_token_on_an_event_stream_is_refused_like_a_bad_header()
    {
        var (session, alice, _) = await _admin.CreateSessionAsync();
        var (tokenId, token) = await _admin.IssueTokenAsync(alice);
        using var anonymous = _admin.As(null);

        await (await anonymous.GetAsync($"/api/participants/{alice}/inbox/events?access_token=sst_nope")).ExpectUnauthorizedAsync(ProblemCodes.TokenMalformed);
        await (await anonymous.GetAsync($"/api/sessions/{session}/events?access_token={token}&access_token={token}")).ExpectUnauthorizedAsync(ProblemCodes.TokenMalformed);
        await _admin.RevokeTokenAsync(alice, tokenId);
        await (await anonymous.GetAsync($"/api/sessions/{session}/events?access_token={token}")).ExpectUnauthorizedAsync(ProblemCodes.TokenRevoked);
    }

    [Fact]
    public async Task A_websocket_without_a_valid_token_is_refused_at_the_handshake()
    {
        var alice = await _admin.CreateParticipantAsync("alice");
        var (tokenId, token) = await _admin.IssueTokenAsync(alice);
        await _admin.RevokeTokenAsync(alice, tokenId);

        var (missing, headers) = await Sessions.Testing.Realtime.WebSocketTestClient.RefusedAsync(_admin.BaseAddress!, token: null);
        var (revoked, _) = await Sessions.Testing.Realtime.WebSocketTestClient.RefusedAsync(_admin.BaseAddress!, token, tokenInQuery: true);
        var (unknown, _) = await Sessions.Testing.Realtime.WebSocketTestClient.RefusedAsync(_admin.BaseAddress!, "sst_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");

        Assert.Equal((HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized), (missing, revoked, unknown));
        Assert.StartsWith("Bearer", Assert.Single(headers["WWW-Authenticate"]), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_websocket_takes_a_participant_token_from_the_header_or_the_query()
    {
        var alice = await _admin.CreateParticipantAsync("alice");
        var (_, token) = await _admin.IssueTokenAsync(alice);

        await using var byHeader = await Sessions.Testing.Realtime.WebSocketTestClient.ConnectAsync(_admin.BaseAddress!, token: token);
        await using var byQuery = await Sessions.Testing.Realtime.WebSocketTestClient.ConnectAsync(_admin.BaseAddress!, token: token, tokenInQuery: true);
        await byHeader.SendAsync("""{"type":"ping","id":"h"}""");
        await byQuery.SendAsync("""{"type":"ping","id":"q"}""");

        Assert.Equal("h", (await byHeader.NextOfTypeAsync("pong")).GetProperty("id").GetString());
        Assert.Equal("q", (await byQuery.NextOfTypeAsync("pong")).GetProperty("id").GetString());
    }
}
