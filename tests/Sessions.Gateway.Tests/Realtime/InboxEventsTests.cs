using System.Net;
using System.Text.Json;
using Sessions.Testing.Realtime;

namespace Sessions.Gateway.Tests.Realtime;

public sealed class InboxEventsTests(RealtimeGatewayFixture fixture) : IClassFixture<RealtimeGatewayFixture>
{
    private HttpClient Client => fixture.Client;

    [Fact]
    public async Task An_inbox_subscription_gets_a_snapshot_then_deltas_for_appends_reads_and_status_changes()
    {
        var (session, alice, bob) = await Client.CreateSessionAsync();
        (await Client.AppendAsync(session, alice, "hi bob")).EnsureSuccessStatusCode();
        await using var ws = await WebSocketTestClient.ConnectAsync(Client.BaseAddress!);
        await ws.SendAsync($$"""{"type":"subscribe","topic":"inbox:{{bob}}"}""");

        var subscribed = await ws.NextOfTypeAsync("subscribed");
        Assert.Equal($"inbox:{bob}", subscribed.GetProperty("topic").GetString());
        var snapshot = await ws.NextOfTypeAsync("inbox_snapshot");
        var entry = snapshot.GetProperty("sessions").EnumerateArray().Single();
        Assert.Equal((session, 1L), (entry.GetProperty("session_id").GetString(), entry.GetProperty("unread_count").GetInt64()));
        var version = snapshot.GetProperty("version").GetInt64();

        (await Client.AppendAsync(session, alice, "are you there?")).EnsureSuccessStatusCode();
        var unread = await NextDeltaAsync(ws, version);
        Assert.Equal(2, unread.GetProperty("entry").GetProperty("unread_count").GetInt64());

        (await Client.PostJsonAsync($"/api/sessions/{session}/read", $$"""{"participant_id":"{{bob}}","last_seq":2}""")).EnsureSuccessStatusCode();
        var read = await NextDeltaAsync(ws, unread.GetProperty("version").GetInt64());
        Assert.Equal(0, read.GetProperty("entry").GetProperty("unread_count").GetInt64());

        (await Client.PostJsonAsync($"/api/sessions/{session}/status", """{"status":"suspended"}""")).EnsureSuccessStatusCode();
        var suspended = await NextDeltaAsync(ws, read.GetProperty("version").GetInt64());
        Assert.Equal("suspended", suspended.GetProperty("entry").GetProperty("status").GetString());
    }

    /// <summary>The next inbox delta, which must be newer than <paramref name="after"/>.</summary>
    private static async Task<JsonElement> NextDeltaAsync(WebSocketTestClient ws, long after)
    {
        var delta = await ws.NextOfTypeAsync("inbox");
        Assert.True(delta.GetProperty("version").GetInt64() > after);
        return delta;
    }

    [Fact]
    public async Task A_new_session_of_the_participant_arrives_as_a_delta()
    {
        var alice = await Client.CreateParticipantAsync("alice");
        var bob = await Client.CreateParticipantAsync("bob");
        await using var ws = await WebSocketTestClient.ConnectAsync(Client.BaseAddress!);
        await ws.SendAsync($$"""{"type":"subscribe","topic":"inbox:{{bob}}"}""");
        await ws.NextOfTypeAsync("subscribed");
        Assert.Equal(0, (await ws.NextOfTypeAsync("inbox_snapshot")).GetProperty("sessions").GetArrayLength());

        var created = await (await Client.PostJsonAsync("/api/sessions", $$"""{"initiator_id":"{{alice}}","peer_id":"{{bob}}"}""")).ExpectJsonAsync(HttpStatusCode.Created);
        var delta = await ws.NextOfTypeAsync("inbox");
        Assert.Equal(created.GetProperty("id").GetString(), delta.GetProperty("entry").GetProperty("session_id").GetString());
    }

    [Fact]
    public async Task An_unknown_participants_inbox_is_a_404_over_websocket_and_sse()
    {
        await using var ws = await WebSocketTestClient.ConnectAsync(Client.BaseAddress!);
        await ws.SendAsync("""{"type":"subscribe","topic":"inbox:nobody-here","id":"x"}""");
        var error = await ws.NextOfTypeAsync("error");
        Assert.Equal(("participant-not-found", 404), (error.GetProperty("code").GetString(), error.GetProperty("status").GetInt32()));

        await (await Client.GetAsync("/api/participants/nobody-here/inbox/events")).ExpectProblemAsync(HttpStatusCode.NotFound, "participant-not-found");
    }

    [Fact]
    public async Task Sse_inbox_streams_start_with_a_snapshot_and_carry_versions_as_ids()
    {
        var (session, alice, bob) = await Client.CreateSessionAsync();
        await using var events = await ServerSentEventsTestClient.OpenAsync(Client, $"/api/participants/{bob}/inbox/events");
        Assert.Equal("subscribed", (await events.NextAsync()).Event);
        var snapshot = await events.NextAsync();
        Assert.Equal("inbox_snapshot", snapshot.Event);
        Assert.Equal(JsonDocument.Parse(snapshot.Data).RootElement.GetProperty("version").GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture), snapshot.Id);

        (await Client.AppendAsync(session, alice, "ping")).EnsureSuccessStatusCode();
        var delta = await events.NextAsync();
        Assert.Equal("inbox", delta.Event);
        Assert.True(long.Parse(delta.Id!, System.Globalization.CultureInfo.InvariantCulture) > long.Parse(snapshot.Id!, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("ping", JsonDocument.Parse(delta.Data).RootElement.GetProperty("entry").GetProperty("last_message").GetProperty("preview").GetString());
    }
}
