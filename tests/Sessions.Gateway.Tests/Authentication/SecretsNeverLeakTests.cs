using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Sessions.Gateway.Problems;
using Sessions.Testing;
using Sessions.Testing.Realtime;
using Sessions.Testing.Webhooks;

namespace Sessions.Gateway.Tests.Authentication;

/// <summary>
/// Tokens, admin keys and webhook secrets never reach a log, a metric or a response other than the one that created
/// them: a gateway logging everything down to Trace (the host's request log with its URLs among it) is put through
/// every way of sending, refusing, revoking and rotating them, and its log and /metrics are searched for each secret.
/// </summary>
public sealed class SecretsNeverLeakTests
{
    [Fact]
    public async Task No_token_admin_key_or_webhook_secret_appears_in_the_logs_metrics_or_later_responses()
    {
        var recorder = new RecordingLoggerProvider();
        var connectionString = await TestPostgres.CreateDatabaseAsync("secrets");
        await using var sink = await WebhookSink.StartAsync();
        await using var gateway = await GatewayFixture.StartGatewayAsync(
            connectionString,
            new Dictionary<string, string?>
            {
                ["Logging:LogLevel:Default"] = "Information",
                ["Logging:LogLevel:Microsoft.AspNetCore"] = "Trace",
                ["Logging:LogLevel:Sessions"] = "Trace",
                ["Logging:LogLevel:Npgsql"] = "Debug",
                ["Sessions:Auth:ConnectionCheckInterval"] = "00:00:00.2",
            },
            configure: builder =>
            {
                builder.Logging.ClearProviders();
                builder.Logging.AddProvider(recorder);
            });
        using var admin = new HttpClient { BaseAddress = new Uri(gateway.Addresses.First()) }.Authorize();
        var responses = new List<string>();

        // A token, used every way there is: header, query on the realtime routes, query where it is not taken.
        var (session, alice, bob) = await admin.CreateSessionAsync();
        var (tokenId, token) = await admin.IssueTokenAsync(alice);
        using var participant = admin.As(token);
        responses.Add(await (await participant.GetAsync($"/api/sessions/{session}")).Content.ReadAsStringAsync());
        await using (var ws = await WebSocketTestClient.ConnectAsync(admin.BaseAddress!, token: token, tokenInQuery: true))
        {
            await ws.SendAsync($$"""{"type":"subscribe","topic":"session:{{session}}"}""");
            responses.Add((await ws.NextOfTypeAsync("subscribed")).GetRawText());
        }

        using var anonymous = admin.As(null);
        await using (var events = await ServerSentEventsTestClient.OpenAsync(anonymous, $"/api/sessions/{session}/events?last_event_id=0&access_token={token}"))
        {
            Assert.Equal("subscribed", (await events.NextAsync()).Event);
        }

        responses.Add(await (await anonymous.GetAsync($"/api/sessions/{session}?access_token={token}")).Content.ReadAsStringAsync());

        // Refused tokens: one of the wrong shape that contains the real one, one never issued, then the real one revoked.
        using (var malformed = admin.As(token + "x"))
        {
            responses.Add(await (await malformed.GetAsync("/api/participants")).Content.ReadAsStringAsync());
        }

        await using var held = await WebSocketTestClient.ConnectAsync(admin.BaseAddress!, token: token);
        await gateway.Services.GetRequiredService<Sessions.Storage.Tokens.ParticipantTokenStore>().RevokeAsync(alice, tokenId, CancellationToken.None);
        await held.WaitClosedAsync(TimeSpan.FromSeconds(10));
        Assert.Equal("token-revoked", held.CloseReason);
        responses.Add(await (await participant.GetAsync($"/api/sessions/{session}")).Content.ReadAsStringAsync());
        responses.Add(await (await admin.RevokeTokenAsync(alice, tokenId)).Content.ReadAsStringAsync());

        // Webhook secrets: made, rotated, used to sign a delivery, and listed.
        var agent = HttpApi.Unique("bot");
        var created = await (await admin.PostJsonAsync("/api/agents", $$"""{"id":"{{agent}}","url":"{{sink.UrlOf(agent)}}"}""")).ExpectJsonAsync(HttpStatusCode.Created);
        var firstSecret = created.GetProperty("secret").GetString()!;
        var rotated = await (await admin.PostAsync($"/api/agents/{agent}/secret/rotate", null)).ExpectJsonAsync(HttpStatusCode.OK);
        var secondSecret = rotated.GetProperty("secret").GetString()!;
        var withAgent = await (await admin.PostJsonAsync("/api/sessions", $$"""{"initiator_id":"{{alice}}","peer_id":"{{bob}}","agent_id":"{{agent}}"}""")).ExpectJsonAsync(HttpStatusCode.Created);
        var agentSession = withAgent.GetProperty("id").GetString()!;
        await (await admin.AppendAsync(agentSession, alice, "hello agent")).ExpectJsonAsync(HttpStatusCode.Created);
        await Eventually.TrueAsync(() => sink.Received.Any(r => r.AgentId == agent), "the agent got its delivery", TimeSpan.FromSeconds(30));
        responses.Add(await admin.GetStringAsync($"/api/agents/{agent}"));
        responses.Add(await admin.GetStringAsync("/api/agents"));
        responses.Add(await admin.GetStringAsync($"/api/participants/{alice}/tokens"));
        responses.Add(await admin.GetStringAsync($"/api/agents/{agent}/deliveries"));
        var metrics = await admin.GetStringAsync("/metrics");
        await gateway.StopAsync();

        var log = recorder.Lines;
        Assert.Contains(log, line => line.Contains("Request starting", StringComparison.Ordinal) && line.Contains("/ws", StringComparison.Ordinal));
        Assert.Contains(log, line => line.Contains(ProblemCodes.TokenMalformed, StringComparison.Ordinal));
        var secrets = new Dictionary<string, string>
        {
            ["participant token"] = token,
            ["its random part"] = token[4..],
            ["admin key"] = TestCredentials.AdminKey,
            ["first webhook secret"] = firstSecret,
            ["rotated webhook secret"] = secondSecret,
        };
        foreach (var (name, secret) in secrets)
        {
            Assert.False(log.Any(line => line.Contains(secret, StringComparison.Ordinal)), $"The {name} is in the log: {log.FirstOrDefault(line => line.Contains(secret, StringComparison.Ordinal))}");
            Assert.DoesNotContain(secret, metrics, StringComparison.Ordinal);
            Assert.All(responses, response => Assert.DoesNotContain(secret, response, StringComparison.Ordinal));
        }
    }
}
