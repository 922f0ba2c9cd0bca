using System.Net;
using System.Text.Json;
using Sessions.Testing.Realtime;

namespace Sessions.Gateway.Tests.Realtime;

public sealed class StreamedReplyTests(RealtimeGatewayFixture fixture) : IClassFixture<RealtimeGatewayFixture>
{
    private HttpClient Client => fixture.Client;

    private Task<HttpResponseMessage> ChunkAsync(string session, string reply, string sender, string text) =>
        Client.PostJsonAsync($"/api/sessions/{session}/replies/{reply}/chunks", JsonSerializer.Serialize(new Dictionary<string, string> { ["sender_id"] = sender, ["text"] = text }));

    private async Task<string> StartAsync(string session, string sender, string? replyId = null)
    {
        var body = replyId is null ? $$"""{"sender_id":"{{sender}}"}""" : $$"""{"sender_id":"{{sender}}","reply_id":"{{replyId}}"}""";
        var reply = await (await Client.PostJsonAsync($"/api/sessions/{session}/replies", body)).ExpectJsonAsync(HttpStatusCode.Created);
        Assert.Equal("streaming", reply.GetProperty("status").GetString());
        return reply.GetProperty("id").GetString()!;
    }

    /// <summary>The chunks of <paramref name="reply"/> that arrive, in order, until <paramref name="count"/> have (other frames are skipped).</summary>
    private static async Task<List<string>> ChunksAsync(WebSocketTestClient ws, string reply, int count, int firstIndex = 0)
    {
        var texts = new List<string>();
        while (texts.Count < count)
        {
            var frame = await ws.NextAsync();
            if (frame.GetProperty("type").GetString() == "reply_chunk")
            {
                var chunk = frame.GetProperty("chunk");
                Assert.Equal(reply, chunk.GetProperty("reply_id").GetString());
                Assert.Equal(firstIndex + texts.Count, chunk.GetProperty("index").GetInt32());
                texts.Add(chunk.GetProperty("text").GetString()!);
            }
        }

        return texts;
    }

    [Fact]
    public async Task A_subscriber_joining_mid_stream_gets_every_chunk_so_far_once_then_the_rest_then_the_message_then_the_end()
    {
        var (session, alice, bob) = await Client.CreateSessionAsync();
        var reply = await StartAsync(session, bob);
        foreach (var text in new[] { "one ", "two ", "three " })
        {
            (await ChunkAsync(session, reply, bob, text)).EnsureSuccessStatusCode();
        }

        await using var ws = await WebSocketTestClient.ConnectAsync(Client.BaseAddress!);
        await ws.SubscribeAsync(session, afterSeq: 0);
        await ws.NextOfTypeAsync("subscribed");
        var started = await ws.NextOfTypeAsync("reply_started");
        Assert.Equal(reply, started.GetProperty("reply").GetProperty("id").GetString());
        Assert.Equal(["one ", "two ", "three "], await ChunksAsync(ws, reply, 3));

        // A refresh mid-stream: a second connection gets the same chunks so far, once each, and both get the rest live.
        await using var refreshed = await WebSocketTestClient.ConnectAsync(Client.BaseAddress!);
        await refreshed.SubscribeAsync(session, afterSeq: 0);
        (await ChunkAsync(session, reply, bob, "four")).EnsureSuccessStatusCode();
        Assert.Equal(["one ", "two ", "three ", "four"], await ChunksAsync(refreshed, reply, 4));
        Assert.Equal(["four"], await ChunksAsync(ws, reply, 1, firstIndex: 3));

        var finished = await (await Client.PostJsonAsync($"/api/sessions/{session}/replies/{reply}/finish", $$"""{"sender_id":"{{bob}}"}""")).ExpectJsonAsync(HttpStatusCode.Created);
        Assert.Equal("one two three four", finished.GetProperty("content").GetProperty("text").GetString());
        foreach (var client in new[] { ws, refreshed })
        {
            var message = await client.NextOfTypeAsync("message");
            Assert.Equal(1, message.GetProperty("seq").GetInt64());
            var ended = await client.NextOfTypeAsync("reply_ended");
            Assert.Equal("completed", ended.GetProperty("reply").GetProperty("status").GetString());
            Assert.Equal(1, ended.GetProperty("reply").GetProperty("message_seq").GetInt64());
        }

        _ = alice;
    }

    [Fact]
    public async Task A_stop_request_from_a_participant_ends_the_reply_as_aborted_with_its_text_kept_and_subscribers_see_it()
    {
        var (session, alice, bob) = await Client.CreateSessionAsync();
        await using var ws = await WebSocketTestClient.ConnectAsync(Client.BaseAddress!);
        await ws.SubscribeAsync(session, afterSeq: 0);
        await ws.NextOfTypeAsync("subscribed");
        var reply = await StartAsync(session, bob, "r-stop");
        (await ChunkAsync(session, reply, bob, "so far")).EnsureSuccessStatusCode();
        await ws.NextOfTypeAsync("reply_started");
        await ChunksAsync(ws, reply, 1);

        // Disconnecting subscribers never stop a reply; a participant's stop does.
        var stopped = await (await Client.PostJsonAsync($"/api/sessions/{session}/replies/{reply}/stop", $$"""{"participant_id":"{{alice}}"}""")).ExpectJsonAsync(HttpStatusCode.OK);
        Assert.Equal("aborted", stopped.GetProperty("status").GetString());
        var message = await ws.NextOfTypeAsync("message");
        Assert.Equal("so far", message.Text());
        var ended = await ws.NextOfTypeAsync("reply_ended");
        Assert.Equal("aborted", ended.GetProperty("reply").GetProperty("status").GetString());

        var late = await ChunkAsync(session, reply, bob, "more");
        await late.ExpectProblemAsync(HttpStatusCode.Conflict, "reply-ended");
    }

    [Fact]
    public async Task Reply_routes_answer_their_errors_as_problems()
    {
        var (session, alice, bob) = await Client.CreateSessionAsync();
        var reply = await StartAsync(session, bob);
        await (await ChunkAsync(session, "no-such-reply", bob, "x")).ExpectProblemAsync(HttpStatusCode.NotFound, "reply-not-found");
        await (await ChunkAsync(session, reply, alice, "x")).ExpectProblemAsync(HttpStatusCode.Forbidden, "not-reply-author");
        await (await ChunkAsync("no-such-session", reply, bob, "x")).ExpectProblemAsync(HttpStatusCode.NotFound, "session-not-found");
        await (await Client.PostJsonAsync($"/api/sessions/{session}/replies/{reply}/chunks", $$"""{"sender_id":"{{bob}}","text":"x","index":3}"""))
            .ExpectProblemAsync(HttpStatusCode.Conflict, "chunk-conflict");
        await (await Client.PostJsonAsync($"/api/sessions/{session}/replies/{reply}/chunks", $$"""{"sender_id":"{{bob}}"}""")).ExpectValidationProblemAsync("text");
        await (await Client.PostJsonAsync($"/api/sessions/{session}/replies", """{"sender_id":"stranger"}""")).ExpectProblemAsync(HttpStatusCode.Forbidden, "sender-not-participant");
        await (await Client.PostJsonAsync($"/api/sessions/{session}/replies/{reply}/finish", $$"""{"sender_id":"{{bob}}","content":"text"}""")).ExpectValidationProblemAsync("content");

        var list = await (await Client.GetAsync($"/api/sessions/{session}/replies")).ExpectJsonAsync(HttpStatusCode.OK);
        Assert.Equal(reply, list[0].GetProperty("id").GetString());
    }

    [Fact]
    public async Task Sse_subscribers_get_the_chunks_of_a_reply_in_flight_and_its_end()
    {
        var (session, _, bob) = await Client.CreateSessionAsync();
        var reply = await StartAsync(session, bob);
        (await ChunkAsync(session, reply, bob, "first")).EnsureSuccessStatusCode();
        await using var events = await ServerSentEventsTestClient.OpenAsync(Client, $"/api/sessions/{session}/events?last_event_id=0");
        Assert.Equal("subscribed", (await events.NextAsync()).Event);
        Assert.Equal("reply_started", (await events.NextAsync()).Event);
        var first = await events.NextAsync();
        Assert.Equal(("reply_chunk", "first"), (first.Event, JsonDocument.Parse(first.Data).RootElement.GetProperty("text").GetString()));

        (await ChunkAsync(session, reply, bob, "second")).EnsureSuccessStatusCode();
        var second = await events.NextAsync();
        Assert.Equal(1, JsonDocument.Parse(second.Data).RootElement.GetProperty("index").GetInt32());
        (await Client.PostJsonAsync($"/api/sessions/{session}/replies/{reply}/finish", $$"""{"sender_id":"{{bob}}"}""")).EnsureSuccessStatusCode();
        var message = await events.NextAsync();
        Assert.Equal(("message", "1"), (message.Event, message.Id));
        Assert.Equal("reply_ended", (await events.NextAsync()).Event);
    }

    [Fact]
    public async Task Typing_and_presence_reach_subscribers()
    {
        var (session, alice, bob) = await Client.CreateSessionAsync();
        await using var ws = await WebSocketTestClient.ConnectAsync(Client.BaseAddress!);
        await ws.SendAsync($$"""{"type":"subscribe","topic":"session:{{session}}","participant_id":"{{alice}}"}""");
        await ws.NextOfTypeAsync("subscribed");
        var online = await ws.NextOfTypeAsync("presence");
        Assert.Equal((alice, true), (online.GetProperty("presence").GetProperty("participant_id").GetString(), online.GetProperty("presence").GetProperty("online").GetBoolean()));

        (await Client.PostJsonAsync($"/api/sessions/{session}/typing", $$"""{"participant_id":"{{bob}}","typing":true}""")).EnsureSuccessStatusCode();
        var presence = await ws.NextOfTypeAsync("presence");
        Assert.Equal(bob, presence.GetProperty("presence").GetProperty("participant_id").GetString());
        var typing = await ws.NextOfTypeAsync("typing");
        Assert.Equal((bob, true), (typing.GetProperty("typing").GetProperty("participant_id").GetString(), typing.GetProperty("typing").GetProperty("typing").GetBoolean()));

        await ws.SendAsync($$"""{"type":"typing","session_id":"{{session}}","participant_id":"{{alice}}","typing":false}""");
        Assert.False((await ws.NextOfTypeAsync("typing")).GetProperty("typing").GetProperty("typing").GetBoolean());

        var list = await (await Client.GetAsync($"/api/sessions/{session}/presence")).ExpectJsonAsync(HttpStatusCode.OK);
        Assert.Equal(2, list.GetProperty("participants").EnumerateArray().Count(p => p.GetProperty("online").GetBoolean()));
        await (await Client.PostJsonAsync($"/api/sessions/{session}/presence", """{"participant_id":"stranger"}""")).ExpectProblemAsync(HttpStatusCode.Forbidden, "sender-not-participant");
    }
}
