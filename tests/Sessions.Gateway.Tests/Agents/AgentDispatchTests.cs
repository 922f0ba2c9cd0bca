using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Sessions.Abstractions;
using Sessions.Gateway.Tests.Realtime;
using Sessions.Testing;
using Sessions.Testing.Realtime;
using Sessions.Testing.Webhooks;
using Xunit;

namespace Sessions.Gateway.Tests.Agents;

/// <summary>The agent dispatcher end to end: real gateway, real PostgreSQL, a real webhook endpoint on loopback.</summary>
public sealed class AgentDispatchTests(AgentDispatchFixture fixture) : IClassFixture<AgentDispatchFixture>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    private WebhookSink Sink => fixture.Sink;

    [Fact]
    public async Task New_messages_reach_the_agent_in_seq_order_signed_and_never_the_agents_own()
    {
        var (agent, secret) = await fixture.RegisterAgentAsync();
        var (session, alice, bob) = await fixture.CreateSessionWithAgentAsync(agent);
        await fixture.AppendAsync(session, alice, "one");
        await fixture.AppendAsync(session, bob, "two");
        await fixture.AppendAsync(session, agent, "the agent's own");
        await fixture.AppendAsync(session, alice, "four");

        var seqs = await Eventually.ReturnsAsync(
            () => Task.FromResult<long[]?>(DeliveredSeqs(agent, session) is { Length: >= 3 } s ? s : null), "three messages delivered", Deadline);
        Assert.Equal([1L, 2L, 4L], seqs);

        foreach (var request in Sink.Received.Where(r => r.AgentId == agent))
        {
            // Standard Webhooks, computed here from the spec: HMAC-SHA256 over "{id}.{timestamp}.{body}" with the decoded key.
            var key = Convert.FromBase64String(secret["whsec_".Length..]);
            var signed = Encoding.UTF8.GetBytes($"{request.WebhookId}.{request.Timestamp}.").Concat(request.Body).ToArray();
            Assert.Contains("v1," + Convert.ToBase64String(HMACSHA256.HashData(key, signed)), request.Signature.Split(' '));
            Assert.Equal(request.WebhookId, request.Json.GetProperty("delivery_id").GetString());
            Assert.Equal("session.messages", request.Json.GetProperty("type").GetString());
            Assert.Equal(agent, request.Json.GetProperty("agent_id").GetString());
        }
    }

    [Fact]
    public async Task A_json_reply_becomes_the_agents_message_and_is_not_delivered_back()
    {
        var (agent, _) = await fixture.RegisterAgentAsync();
        var (session, alice, _) = await fixture.CreateSessionWithAgentAsync(agent);
        Sink.Behavior = r => r.AgentId == agent
            ? SinkAnswer.Ok("""{"messages":[{"kind":"text","content":{"text":"pong"}}]}""")
            : SinkAnswer.Ok();
        await fixture.AppendAsync(session, alice, "ping");

        var reply = (await MessagesOfAsync(session, agent, "the agent's reply in the session"))[0];
        Assert.Equal("pong", reply.GetProperty("content").GetProperty("text").GetString());
        Assert.Equal(2, reply.GetProperty("seq").GetInt64());

        // The dispatcher moves past the reply without a delivery of it.
        await Eventually.TrueAsync(async () => (await StatusOf(session)).DeliveredThroughSeq == 2, "the cursor past the reply", Deadline);
        Assert.Single(Sink.Received, r => r.AgentId == agent);
        Assert.Single(await fixture.DeliveriesOfAsync(session));
    }

    [Fact]
    public async Task Failures_are_retried_under_one_webhook_id_and_every_attempt_is_logged()
    {
        var (agent, _) = await fixture.RegisterAgentAsync();
        var (session, alice, _) = await fixture.CreateSessionWithAgentAsync(agent);
        Sink.Behavior = r => r.AgentId != agent ? SinkAnswer.Ok()
            : Sink.Received.Count(x => x.AgentId == agent) switch
            {
                1 => SinkAnswer.Fail(500),
                2 => SinkAnswer.Fail(429, retryAfter: "0"),
                _ => SinkAnswer.Ok(),
            };
        await fixture.AppendAsync(session, alice, "hello");

        var delivery = (await Eventually.ReturnsAsync(
            async () => (await fixture.DeliveriesOfAsync(session)).Where(d => d.GetProperty("status").GetString() == "succeeded").ToArray() is { Length: > 0 } done ? done : null,
            "the delivery succeeded", Deadline))[0];
        var attempts = delivery.GetProperty("attempts").EnumerateArray().ToArray();
        Assert.Equal([500, 429, 200], attempts.Select(a => a.GetProperty("http_status").GetInt32()));
        Assert.Equal([1, 2, 3], attempts.Select(a => a.GetProperty("attempt").GetInt32()));
        Assert.All(attempts, a => Assert.Equal("scheduled", a.GetProperty("trigger").GetString()));

        var requests = Sink.Received.Where(r => r.AgentId == agent).ToArray();
        Assert.Equal(3, requests.Length);
        Assert.All(requests, r => Assert.Equal(delivery.GetProperty("id").GetString(), r.WebhookId));
        Assert.All(requests, r => Assert.Equal(requests[0].Body, r.Body));

        // The attempts are counted at /metrics (the fixture's other tests add to the same counters).
        var metrics = (await fixture.Client.GetStringAsync("/metrics")).Split('\n');
        Assert.True(Counter(metrics, "sessions_webhook_attempts_total{result=\"retry\"}") >= 2, string.Join('\n', metrics));
        Assert.True(Counter(metrics, "sessions_webhook_attempts_total{result=\"success\"}") >= 1);
        Assert.True(Counter(metrics, "sessions_webhook_deliveries_total{outcome=\"succeeded\"}") >= 1);
        Assert.True(Counter(metrics, "sessions_webhook_lag_seconds_count") >= 1);
    }

    private static double Counter(string[] metrics, string series) =>
        metrics.Where(l => l.StartsWith(series + " ", StringComparison.Ordinal)).Select(l => double.Parse(l[(series.Length + 1)..], System.Globalization.CultureInfo.InvariantCulture)).SingleOrDefault();

    [Fact]
    public async Task A_client_error_fails_the_delivery_at_once_and_later_messages_still_go_out()
    {
        var (agent, _) = await fixture.RegisterAgentAsync();
        var (session, alice, _) = await fixture.CreateSessionWithAgentAsync(agent);
        Sink.Behavior = r => r.AgentId == agent && r.Seqs.Contains(1) ? SinkAnswer.Fail(400) : SinkAnswer.Ok();
        await fixture.AppendAsync(session, alice, "refused");
        await Eventually.TrueAsync(async () => (await fixture.DeliveriesOfAsync(session)).Any(d => d.GetProperty("status").GetString() == "failed"), "the delivery failed", Deadline);

        await fixture.AppendAsync(session, alice, "accepted");
        var deliveries = await Eventually.ReturnsAsync(async () =>
            await fixture.DeliveriesOfAsync(session) is { Length: 2 } both && both[0].GetProperty("status").GetString() == "succeeded" ? both : null,
            "the second delivery succeeded", Deadline);
        Assert.Equal(1, deliveries[1].GetProperty("attempt_count").GetInt32());
        Assert.Equal(2, deliveries[0].GetProperty("first_seq").GetInt64());
    }

    [Fact]
    public async Task A_gone_endpoint_disables_its_agent()
    {
        var (agent, _) = await fixture.RegisterAgentAsync();
        var (session, alice, _) = await fixture.CreateSessionWithAgentAsync(agent);
        Sink.Behavior = r => r.AgentId == agent ? SinkAnswer.Fail(410) : SinkAnswer.Ok();
        await fixture.AppendAsync(session, alice, "anyone there?");

        await Eventually.TrueAsync(async () =>
        {
            var registration = await (await fixture.Client.GetAsync($"/api/agents/{agent}")).ExpectJsonAsync(HttpStatusCode.OK);
            return registration.GetProperty("status").GetString() == "disabled";
        }, "the agent disabled", Deadline);
        var delivery = (await FailedDeliveriesAsync(session, 1))[0];
        Assert.Equal(410, delivery.GetProperty("attempts")[0].GetProperty("http_status").GetInt32());
    }

    [Fact]
    public async Task An_ndjson_reply_streams_into_the_session_and_ends_as_one_message()
    {
        var (agent, _) = await fixture.RegisterAgentAsync();
        var (session, alice, _) = await fixture.CreateSessionWithAgentAsync(agent);
        Sink.Behavior = r => r.AgentId == agent ? SinkAnswer.Stream(["Hel", "lo, ", "Alice"], TimeSpan.FromMilliseconds(20)) : SinkAnswer.Ok();
        await fixture.AppendAsync(session, alice, "hi");

        var reply = (await MessagesOfAsync(session, agent, "the streamed reply as a message"))[0];
        Assert.Equal("Hello, Alice", reply.GetProperty("content").GetProperty("text").GetString());
    }

    [Theory]
    [InlineData("tail", 2, new long[] { 2, 3 })]
    [InlineData("last", null, new long[0])]
    [InlineData("entire", 10, new long[] { 1, 2, 3 })]
    public async Task The_history_a_delivery_carries_follows_the_agents_mode(string mode, int? count, long[] historySeqs)
    {
        var history = count is { } n ? $$""","history":{"mode":"{{mode}}","count":{{n}}}""" : $$""","history":{"mode":"{{mode}}"}""";
        var (agent, _) = await fixture.RegisterAgentAsync(history + ",\"status\":\"disabled\"");
        var (session, alice, bob) = await fixture.CreateSessionWithAgentAsync(agent);
        for (var i = 1; i <= 3; i++)
        {
            await fixture.AppendAsync(session, i % 2 == 0 ? bob : alice, $"before {i}");
        }

        // Enabled now, the agent hears only what comes next (the three earlier messages stay behind its cursor or in
        // one delivery, whichever the sweep gets to first): so wait for the cursor first.
        await (await fixture.Client.PutAsync($"/api/agents/{agent}", HttpApi.JsonContent("""{"status":"enabled"}"""))).ExpectJsonAsync(HttpStatusCode.OK);
        await Eventually.TrueAsync(() => DeliveredSeqs(agent, session).Length == 3, "the earlier messages delivered", Deadline);
        await fixture.AppendAsync(session, alice, "now");

        var latest = await Eventually.ReturnsAsync(
            () => Task.FromResult(Sink.Received.Where(r => r.AgentId == agent && r.Seqs.Contains(4)).FirstOrDefault()), "the delivery of seq 4", Deadline);
        Assert.Equal([4L], latest!.Seqs);
        Assert.Equal(historySeqs, latest.Json.GetProperty("history").EnumerateArray().Select(m => m.GetProperty("seq").GetInt64()).ToArray());
    }

    [Fact]
    public async Task A_debounced_agent_gets_a_burst_of_messages_in_one_delivery()
    {
        var (agent, _) = await fixture.RegisterAgentAsync(""","debounce_ms":3000""");
        var (session, alice, bob) = await fixture.CreateSessionWithAgentAsync(agent);
        for (var i = 0; i < 4; i++)
        {
            await fixture.AppendAsync(session, i % 2 == 0 ? alice : bob, $"burst {i}");
        }

        var first = await Eventually.ReturnsAsync(
            () => Task.FromResult(Sink.Received.FirstOrDefault(r => r.AgentId == agent)), "the debounced delivery", Deadline);
        Assert.Equal([1L, 2L, 3L, 4L], first!.Seqs);
    }

    [Fact]
    public async Task Subscribers_see_the_agent_working_while_its_delivery_is_in_flight_and_then_idle()
    {
        var (agent, _) = await fixture.RegisterAgentAsync(""","timeout_ms":20000""");
        var (session, alice, _) = await fixture.CreateSessionWithAgentAsync(agent);
        using var release = new SemaphoreSlim(0);
        Sink.Behavior = r => r.AgentId == agent ? SinkAnswer.WaitFor(release) : SinkAnswer.Ok();
        await using var ws = await WebSocketTestClient.ConnectAsync(fixture.Client.BaseAddress!);
        await ws.SubscribeAsync(session, afterSeq: 0);
        await ws.NextOfTypeAsync("subscribed");
        await fixture.AppendAsync(session, alice, "think about it");
        Assert.Equal(1, (await ws.NextOfTypeAsync("message")).GetProperty("seq").GetInt64());

        var working = (await ws.NextOfTypeAsync("agent_turn")).GetProperty("agent_turn");
        Assert.Equal(agent, working.GetProperty("agent_id").GetString());
        Assert.Equal("working", working.GetProperty("state").GetString());
        release.Release();
        var idle = (await ws.NextOfTypeAsync("agent_turn")).GetProperty("agent_turn");
        Assert.Equal("idle", idle.GetProperty("state").GetString());
        Assert.Equal(working.GetProperty("delivery_id").GetString(), idle.GetProperty("delivery_id").GetString());
    }

    [Fact]
    public async Task Messages_that_arrive_while_a_delivery_is_in_flight_go_out_together_next()
    {
        var (agent, _) = await fixture.RegisterAgentAsync(""","timeout_ms":20000""");
        var (session, alice, _) = await fixture.CreateSessionWithAgentAsync(agent);
        using var release = new SemaphoreSlim(0);
        Sink.Behavior = r => r.AgentId == agent && r.Seqs.Contains(1) ? SinkAnswer.WaitFor(release) : SinkAnswer.Ok();
        await fixture.AppendAsync(session, alice, "first");
        await Eventually.TrueAsync(() => Sink.Received.Any(r => r.AgentId == agent), "the first delivery in flight", Deadline);
        for (var i = 0; i < 3; i++)
        {
            await fixture.AppendAsync(session, alice, $"meanwhile {i}");
        }

        release.Release();
        var second = await Eventually.ReturnsAsync(
            () => Task.FromResult(Sink.Received.Where(r => r.AgentId == agent).Skip(1).FirstOrDefault()), "the second delivery", Deadline);
        Assert.Equal([2L, 3L, 4L], second!.Seqs);
    }

    [Fact]
    public async Task Messages_held_back_while_the_agent_was_disabled_go_out_once_it_is_enabled_again()
    {
        var (agent, _) = await fixture.RegisterAgentAsync(",\"status\":\"disabled\"");
        var (session, alice, bob) = await fixture.CreateSessionWithAgentAsync(agent);
        await fixture.AppendAsync(session, alice, "are you there?");
        await fixture.AppendAsync(session, bob, "it is off");
        await Eventually.TrueAsync(async () => (await StatusOf(session)).AgentId is null, "the dispatcher saw the notices and sent nothing", Deadline);

        // Nothing tells the dispatcher about the change: the sweep finds the session behind and wakes it.
        await (await fixture.Client.PutAsync($"/api/agents/{agent}", HttpApi.JsonContent("""{"status":"enabled"}"""))).ExpectJsonAsync(HttpStatusCode.OK);
        var seqs = await Eventually.ReturnsAsync(
            () => Task.FromResult<long[]?>(DeliveredSeqs(agent, session) is { Length: 2 } s ? s : null), "the held messages delivered", Deadline);
        Assert.Equal([1L, 2L], seqs);
        Assert.Single(Sink.Received, r => r.AgentId == agent);
    }

    [Fact]
    public async Task A_failed_delivery_is_sent_again_on_request_under_its_webhook_id()
    {
        var (agent, _) = await fixture.RegisterAgentAsync();
        var (session, alice, _) = await fixture.CreateSessionWithAgentAsync(agent);
        var refuse = true;
        Sink.Behavior = r => r.AgentId == agent && Volatile.Read(ref refuse) ? SinkAnswer.Fail(422) : SinkAnswer.Ok();
        await fixture.AppendAsync(session, alice, "try me twice");
        var failed = (await FailedDeliveriesAsync(session, 1))[0];

        Volatile.Write(ref refuse, false);
        var id = failed.GetProperty("id").GetString();
        var accepted = await (await fixture.Client.PostAsync($"/api/deliveries/{id}/redeliver", null)).ExpectJsonAsync(HttpStatusCode.Accepted);
        Assert.Equal("pending", accepted.GetProperty("status").GetString());

        var delivery = (await Eventually.ReturnsAsync(
            async () => (await fixture.DeliveriesOfAsync(session)).Where(d => d.GetProperty("status").GetString() == "succeeded").ToArray() is { Length: 1 } done ? done : null,
            "the redelivery succeeded", Deadline))[0];
        var attempts = delivery.GetProperty("attempts").EnumerateArray().ToArray();
        Assert.Equal(["scheduled", "manual"], attempts.Select(a => a.GetProperty("trigger").GetString()));
        Assert.Equal([422, 200], attempts.Select(a => a.GetProperty("http_status").GetInt32()));
        Assert.All(Sink.Received.Where(r => r.AgentId == agent), r => Assert.Equal(id, r.WebhookId));
    }

    [Fact]
    public async Task Recovery_sends_every_failed_delivery_of_an_agent_since_a_time_again()
    {
        var since = DateTimeOffset.UtcNow.AddSeconds(-1);
        var (agent, _) = await fixture.RegisterAgentAsync();
        var first = await fixture.CreateSessionWithAgentAsync(agent);
        var second = await fixture.CreateSessionWithAgentAsync(agent);
        var refuse = true;
        Sink.Behavior = r => r.AgentId == agent && Volatile.Read(ref refuse) ? SinkAnswer.Fail(400) : SinkAnswer.Ok();
        await fixture.AppendAsync(first.SessionId, first.Alice, "lost one");
        await fixture.AppendAsync(second.SessionId, second.Bob, "lost two");
        await FailedDeliveriesAsync(first.SessionId, 1);
        await FailedDeliveriesAsync(second.SessionId, 1);

        Volatile.Write(ref refuse, false);
        var recovered = await (await fixture.Client.PostJsonAsync($"/api/agents/{agent}/deliveries/recover", $$"""{"since":"{{since:O}}"}"""))
            .ExpectJsonAsync(HttpStatusCode.Accepted);
        Assert.Equal(2, recovered.GetProperty("requeued").GetInt32());
        Assert.False(recovered.GetProperty("more").GetBoolean());

        foreach (var session in new[] { first.SessionId, second.SessionId })
        {
            await Eventually.TrueAsync(
                async () => (await fixture.DeliveriesOfAsync(session)).All(d => d.GetProperty("status").GetString() == "succeeded"), $"{session} delivered", Deadline);
        }
    }

    [Fact]
    public async Task Redelivery_and_recovery_refuse_what_does_not_exist_or_makes_no_sense()
    {
        await (await fixture.Client.PostAsync($"/api/deliveries/{Guid.NewGuid()}/redeliver", null)).ExpectProblemAsync(HttpStatusCode.NotFound, "delivery-not-found");
        await (await fixture.Client.PostAsync("/api/deliveries/not-a-uuid/redeliver", null)).ExpectProblemAsync(HttpStatusCode.NotFound, "delivery-not-found");
        await (await fixture.Client.PostJsonAsync("/api/agents/nobody-here/deliveries/recover", """{"since":"2026-01-01T00:00:00Z"}"""))
            .ExpectProblemAsync(HttpStatusCode.NotFound, "agent-not-found");
        var (agent, _) = await fixture.RegisterAgentAsync();
        await (await fixture.Client.PostJsonAsync($"/api/agents/{agent}/deliveries/recover", "{}")).ExpectValidationProblemAsync("since");
        await (await fixture.Client.PostJsonAsync($"/api/agents/{agent}/deliveries/recover", """{"since":"yesterday"}""")).ExpectProblemAsync(HttpStatusCode.BadRequest, "validation");
    }

    private Task<JsonElement[]> FailedDeliveriesAsync(string sessionId, int count) => Eventually.ReturnsAsync(
        async () => (await fixture.DeliveriesOfAsync(sessionId)).Where(d => d.GetProperty("status").GetString() == "failed").ToArray() is { } failed && failed.Length >= count ? failed : null,
        $"{count} failed deliveries of {sessionId}", Deadline);

    /// <summary>The session's messages from <paramref name="senderId"/>, once there is at least one.</summary>
    private Task<JsonElement[]> MessagesOfAsync(string sessionId, string senderId, string what) => Eventually.ReturnsAsync(async () =>
    {
        var page = await (await fixture.Client.GetAsync($"/api/sessions/{sessionId}/messages")).ExpectJsonAsync(HttpStatusCode.OK);
        var found = page.GetProperty("messages").EnumerateArray().Where(m => m.GetProperty("sender_id").GetString() == senderId).ToArray();
        return found.Length > 0 ? found : null;
    }, what, Deadline);

    private long[] DeliveredSeqs(string agentId, string sessionId) =>
        [.. Sink.Received.Where(r => r.AgentId == agentId && r.SessionId == sessionId).SelectMany(r => r.Seqs).Distinct()];

    private Task<DispatcherStatus> StatusOf(string sessionId) =>
        fixture.Gateway.Services.GetRequiredService<IGrainFactory>().GetGrain<IAgentDispatcherGrain>(sessionId).GetStatusAsync();
}
