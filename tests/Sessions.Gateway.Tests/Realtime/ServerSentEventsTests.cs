using System.Net;
using System.Text.Json;
using Sessions.Testing.Realtime;

namespace Sessions.Gateway.Tests.Realtime;

public sealed class ServerSentEventsTests(RealtimeGatewayFixture fixture) : IClassFixture<RealtimeGatewayFixture>
{
    private HttpClient Client => fixture.Client;

    private async Task AppendAsync(string sessionId, string sender, int count, int from = 1)
    {
        for (var i = from; i < from + count; i++)
        {
            (await Client.AppendAsync(sessionId, sender, $"m{i}")).EnsureSuccessStatusCode();
        }
    }

    private static async Task<List<long>> MessagesAsync(ServerSentEventsTestClient events, int count)
    {
        var seqs = new List<long>();
        while (seqs.Count < count)
        {
            var next = await events.NextAsync();
            if (next.Event != "message")
            {
                continue;
            }

            var message = JsonDocument.Parse(next.Data).RootElement;
            Assert.Equal(next.Id, message.GetProperty("seq").GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture));
            seqs.Add(message.GetProperty("seq").GetInt64());
        }

        return seqs;
    }

    [Fact]
    public async Task Last_event_id_resumes_after_it_and_every_message_event_carries_its_seq_as_id()
    {
        var (session, alice, _) = await Client.CreateSessionAsync();
        await AppendAsync(session, alice, 6);
        await using var events = await ServerSentEventsTestClient.OpenAsync(Client, $"/api/sessions/{session}/events", lastEventId: "2");
        Assert.Equal(HttpStatusCode.OK, events.Response.StatusCode);
        Assert.Equal("text/event-stream", events.Response.Content.Headers.ContentType?.MediaType);

        var subscribed = await events.NextAsync();
        Assert.Equal("subscribed", subscribed.Event);
        Assert.Null(subscribed.Id);
        Assert.True(JsonDocument.Parse(subscribed.Data).RootElement.GetProperty("recovered").GetBoolean());

        Assert.Equal(RealtimeFrames.Range(3, 6), await MessagesAsync(events, 4));
        await AppendAsync(session, alice, 3, from: 7);
        Assert.Equal(RealtimeFrames.Range(7, 9), await MessagesAsync(events, 3));
    }

    [Fact]
    public async Task The_query_parameter_serves_browsers_that_cannot_set_the_header()
    {
        var (session, alice, _) = await Client.CreateSessionAsync();
        await AppendAsync(session, alice, 3);
        await using var events = await ServerSentEventsTestClient.OpenAsync(Client, $"/api/sessions/{session}/events?last_event_id=1");
        Assert.Equal(RealtimeFrames.Range(2, 3), await MessagesAsync(events, 2));
    }

    [Fact]
    public async Task Status_changes_are_events_without_an_id_so_the_resume_cursor_stays_a_seq()
    {
        var (session, alice, _) = await Client.CreateSessionAsync();
        await using var events = await ServerSentEventsTestClient.OpenAsync(Client, $"/api/sessions/{session}/events?last_event_id=0");
        Assert.Equal("subscribed", (await events.NextAsync()).Event);
        await AppendAsync(session, alice, 1);
        (await Client.PostJsonAsync($"/api/sessions/{session}/status", """{"status":"completed"}""")).EnsureSuccessStatusCode();

        Assert.Equal([1L], await MessagesAsync(events, 1));
        var status = await events.NextAsync();
        Assert.Equal("status", status.Event);
        Assert.Null(status.Id);
        Assert.Equal("completed", JsonDocument.Parse(status.Data).RootElement.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Idle_streams_get_comment_heartbeats()
    {
        var (session, _, _) = await Client.CreateSessionAsync();
        await using var events = await ServerSentEventsTestClient.OpenAsync(Client, $"/api/sessions/{session}/events");
        await events.NextAsync();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (events.Comments == 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "No heartbeat comment within 10 s.");
            await Task.Delay(50);
        }
    }

    [Fact]
    public async Task An_unknown_session_is_a_404_problem()
    {
        var response = await Client.GetAsync("/api/sessions/no-such-session/events");
        await response.ExpectProblemAsync(HttpStatusCode.NotFound, "session-not-found");
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("abc")]
    [InlineData("99999999999999999999")]
    public async Task A_malformed_last_event_id_is_a_400_problem(string lastEventId)
    {
        var (session, _, _) = await Client.CreateSessionAsync();
        var request = new HttpRequestMessage(HttpMethod.Get, $"/api/sessions/{session}/events");
        request.Headers.TryAddWithoutValidation("Last-Event-ID", lastEventId);
        var response = await Client.SendAsync(request);
        await response.ExpectValidationProblemAsync("Last-Event-ID");
    }
}
